// How every tool ends: its exit code, or one clear message for bad input (no stack trace) and exit code 1.
import { ModelValidationError } from "../../constructs/model/validate";
import { InputError } from "./args";
import { PRIVATE_UMASK } from "./file-modes";

export function describeError(tool: string, error: unknown): string {
  if (error instanceof ModelValidationError) return `sparky-infra: ${error.message}`;
  if (error instanceof InputError) return `${tool}: ${error.message}`;
  return `${tool}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
}

export function runCli(tool: string, main: () => Promise<number>): void {
  // Everything a tool writes (reports, plans, synthesized stacks) and every process it starts is owner-only.
  process.umask(PRIVATE_UMASK);
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${describeError(tool, error)}\n`);
      process.exit(1);
    },
  );
}
