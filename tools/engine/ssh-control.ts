// ssh creates a shared connection's socket (ControlPath) but not the directory it lives in, and fails without it.
// Before ssh runs for a host (the engine's provider, the Docker CLI), the directory is made, owner-only, when it is
// missing; one that others may write to is refused, because whoever can replace the socket there can read and answer
// everything sent to the host's engine.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sshOptions } from "../../constructs/model/ssh";
import { InputError } from "./args";

/** The directory of the ControlPath among ssh options, `~` and `%d` expanded as ssh does; undefined when there is none. */
export function controlDirectory(sshOpts: readonly string[]): string | undefined {
  const [, controlPath] = sshOptions(sshOpts).find(([key]) => key.toLowerCase() === "controlpath") ?? [];
  if (!controlPath || controlPath === "none") return undefined;
  // ssh expands `~` to the account's home directory (not $HOME), as os.userInfo() reads it.
  const home = os.userInfo().homedir;
  const expanded = controlPath.replace(/^~(?=\/)/, home).replaceAll("%d", home);
  const dir = path.dirname(expanded);
  // Other tokens and variables in the directory part: ssh's to expand; nothing to prepare.
  return path.isAbsolute(dir) && !/[%$]/.test(dir) ? dir : undefined;
}

export function ensureControlDirectory(sshOpts: readonly string[]): void {
  const dir = controlDirectory(sshOpts);
  if (!dir) return;
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(dir).mode & 0o022) !== 0)
    throw new InputError(
      `${dir} holds the shared SSH connection's socket (ControlPath) but others may write to it; make it owner-only: chmod go-w ${dir}`,
    );
}
