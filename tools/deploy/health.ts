// After a failed deploy of a Docker stack: every container of the stack that is not healthy, and every one-shot job
// that did not exit 0, named, with its last log lines (masked), so the reason is on screen without a second command.
import { containersOf, docker, dockerRun } from "../engine/docker";
import type { Masker } from "../engine/mask";
import type { SynthesizedStack } from "../engine/stacks";

/** Log lines shown per unhealthy container. */
export const LOG_LINES = 20;

export function unhealthyReport(stack: SynthesizedStack, masker: Masker, logLines = LOG_LINES): string[] {
  const containers = [...containersOf(stack).values()];
  if (containers.length === 0) return [];
  const out: string[] = [];
  let existing = 0;
  for (const { name, config } of containers) {
    const job = config.must_run === false;
    const state = docker(stack, [
      "inspect",
      "--format",
      job
        ? "{{.State.Status}} {{.State.ExitCode}}"
        : "{{if .State.Health}}{{.State.Health.Status}}{{else}}no healthcheck{{end}} ({{.State.Status}})",
      name,
    ]);
    if (state === undefined) continue; // never created: it waits for one named here
    existing++;
    if (job ? state === "exited 0" : state.startsWith("healthy")) continue;
    const [status, code] = state.split(" ");
    const what = !job
      ? `container ${name} is ${state}`
      : status === "exited"
        ? `job ${name} exited with code ${code}`
        : `job ${name} is ${status}`;
    const logs = dockerRun(stack, ["logs", "--tail", String(logLines), name]);
    const lines = `${logs.stdout ?? ""}${logs.stderr ?? ""}`.split("\n").filter((l) => l.trim() !== "");
    out.push(`sparky-infra: ${what}; last log lines:`, ...lines.map((l) => `    ${masker.text(l)}`));
  }
  if (out.length === 0)
    out.push(
      existing === 0
        ? `sparky-infra: no container of ${stack.name} exists yet; the failure is in the engine's output above.`
        : `sparky-infra: every container of ${stack.name} is healthy; the failure is in the engine's output above.`,
    );
  return out;
}
