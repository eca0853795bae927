// What a run says when another run holds a stack's state lock: a deploy, plan or apply of the same stack going on
// elsewhere (another person's workstation, a CI job) or here.

/** The default wait for a stack's state lock before the engine gives up (`-lock-timeout`). */
export const DEFAULT_LOCK_TIMEOUT = "60s";

const LOCKED = /Error acquiring the state lock/;

/** A clear message for the engine's "Error acquiring the state lock"; undefined for any other failure. */
export function stateLockedMessage(stack: string, engineOutput: string, waited: string = DEFAULT_LOCK_TIMEOUT): string | undefined {
  if (!LOCKED.test(engineOutput)) return undefined;
  return (
    `the state of ${stack} is locked: another run (a deploy, plan or apply of ${stack} from a workstation or CI) holds it, ` +
    `and it was not released within ${waited}; nothing was changed. Run again when the other run has finished ` +
    `(--lock-timeout waits longer). A state server's lock ends with the run that holds it; a local state file's lock left ` +
    `by a killed run is removed with \`tofu force-unlock <ID>\` in the stack's directory.`
  );
}
