// `just graph [project]`: the workstream DAG, schedule and critical path as Mermaid, for pasting into docs.
import { computeSchedule } from "../constructs/orchestration/schedule";
import { renderGantt, renderWorkstreamGraph } from "../constructs/orchestration/mermaid";
import { ModelValidationError } from "../constructs/model/validate";
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "./engine/toolchain";

const projectId = process.argv[2] ?? "dgx-pixels";
try {
  const model = loadModel(process.env, REPO_ROOT);
  const project = model.projects.find((p) => p.id === projectId);
  if (!project) {
    process.stderr.write(`unknown project "${projectId}"; projects: ${model.projects.map((p) => p.id).join(", ")}\n`);
    process.exit(1);
  }
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
} catch (error) {
  if (!(error instanceof ModelValidationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
