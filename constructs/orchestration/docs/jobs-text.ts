/** How the generated docs and the tracking issue show jobs, schedules and planned services. */
import { isOneShot, isScheduled, type Project, type ServiceSpec } from "../../model";
import { shellWord } from "../../model/shell";
import { table } from "./markdown";

/** "once per deploy", or "`0 0 * * *` (UTC)". */
export const runsText = (s: Pick<ServiceSpec, "kind" | "schedule">): string =>
  isScheduled(s) ? `\`${s.schedule.cron}\` (${s.schedule.timezone})` : isOneShot(s) ? "once per deploy" : "continuously";

/** "after ollama (healthy), pull-model (completed)", or "—". */
const afterText = (s: ServiceSpec): string => s.dependsOn.map((d) => `${d.service} (${d.condition})`).join(", ") || "—";

/** The project's jobs, deployable and planned: what runs, when, and after what. */
export function jobsTable(project: Project): string | undefined {
  const jobs = Object.entries(project.services).filter(([, s]) => s.kind === "job");
  if (jobs.length === 0) return undefined;
  return table(
    ["Job", "Runs", "Command", "After", "Status"],
    jobs.map(([name, s]) => [
      `\`${name}\``,
      runsText(s),
      s.command ? `\`${s.command.map(shellWord).join(" ")}\`` : "the image's",
      afterText(s),
      s.planned ? "planned" : "deployed",
    ]),
  );
}

/**
 * Each planned service as a list line: what it is, what it waits for, and the workstreams that deliver it (linked to
 * their issues where `link` knows them).
 */
export function plannedLines(project: Project, link: (workstream: string) => string = (w) => w): string[] {
  return Object.entries(project.services).flatMap(([name, s]) => {
    if (!s.planned) return [];
    const kind = s.kind === "job" ? `job, ${runsText(s)}` : s.role;
    const by = s.planned.workstreams.length ? `; delivered by ${s.planned.workstreams.map(link).join(", ")}` : "";
    return [`\`${name}\` (${kind}): ${s.description} Waits for ${s.planned.waitsFor}${by}.`];
  });
}
