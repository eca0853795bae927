// After a failed deploy of a Docker stack: every container or swarm service of the stack that is not healthy, and
// every one-shot job that did not exit 0, named, with its last log lines (masked), so the reason is on screen without
// a second command.
import { containersOf, docker, dockerRun, servicesOf, stackEndpoint } from "../engine/docker";
import { describeTask, serviceWell, swarmServiceStates } from "../engine/swarm-tasks";
import type { Masker } from "../engine/mask";
import type { SynthesizedStack } from "../engine/stacks";

/** Log lines shown per unhealthy container. */
export const LOG_LINES = 20;

/**
 * Swarm services of the stack that are not running, and one-shot jobs whose run did not complete: each task's state and
 * Swarm's reason, and the service's last log lines.
 */
function swarmReport(stack: SynthesizedStack, masker: Masker, logLines: number): { lines: string[]; existing: number } {
  const names = [...servicesOf(stack).values()].map((s) => s.name);
  const states = swarmServiceStates(stackEndpoint(stack), names);
  const out: string[] = [];
  for (const s of states.filter((x) => x.exists && !serviceWell(x))) {
    const tasks = s.tasks.map(describeTask);
    const logs = dockerRun(stack, ["service", "logs", "--tail", String(logLines), s.name]);
    const lines = `${logs.stdout ?? ""}${logs.stderr ?? ""}`.split("\n").filter((l) => l.trim() !== "");
    out.push(
      s.job
        ? `sparky-infra: job ${s.name} ${s.lastRun ? describeTask(s.lastRun) : "has not run"}; last log lines:`
        : `sparky-infra: service ${s.name} has ${s.tasks.filter((t) => t.state === "running").length}/${s.desired} tasks running (${tasks.join("; ") || "no task"}); last log lines:`,
      ...lines.map((l) => `    ${masker.text(l)}`),
    );
  }
  return { lines: out, existing: states.filter((x) => x.exists).length };
}

export function unhealthyReport(stack: SynthesizedStack, masker: Masker, logLines = LOG_LINES): string[] {
  const containers = [...containersOf(stack).values()];
  const swarm = servicesOf(stack).size > 0 ? swarmReport(stack, masker, logLines) : { lines: [], existing: 0 };
  if (containers.length === 0 && servicesOf(stack).size === 0) return [];
  const out: string[] = [...swarm.lines];
  let existing = swarm.existing;
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
        ? `sparky-infra: no container or service of ${stack.name} exists yet; the failure is in the engine's output above.`
        : `sparky-infra: every container and service of ${stack.name} is healthy; the failure is in the engine's output above.`,
    );
  return out;
}
