// `just graph [project]`: the workstream DAG, schedule and critical path as Mermaid, for pasting into docs.
import { computeSchedule } from "../constructs/orchestration/schedule";
import { renderGantt, renderWorkstreamGraph } from "../constructs/orchestration/mermaid";
import { loadModel } from "../stacks/load-model";
import { InputError, parseCommandLine, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { REPO_ROOT } from "./engine/toolchain";

const USAGE = "usage: graph [PROJECT]   (default: dgx-pixels)";

async function main(): Promise<number> {
  const { positionals, help } = parseCommandLine(process.argv.slice(2), {}, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}\n${USAGE}`);
  const projectId = positionals[0] || "dgx-pixels";
  const model = loadModel(process.env, REPO_ROOT);
  const project = model.projects.find((p) => p.id === projectId);
  if (!project) throw new InputError(`unknown project "${projectId}"; projects: ${model.projects.map((p) => p.id).join(", ")}`);
  const schedule = computeSchedule(project.workstreams, "max");
  process.stdout.write(
    [
      `# ${project.name}: workstreams`,
      "",
      `Critical path (${schedule.totalDays} days, upper estimates): ${schedule.criticalPath.join(" → ")}`,
      "",
      "```mermaid",
      renderWorkstreamGraph(project, schedule),
      "```",
      "",
      "```mermaid",
      renderGantt(project, schedule),
      "```",
      "",
    ].join("\n"),
  );
  return 0;
}

runCli("graph", main);
