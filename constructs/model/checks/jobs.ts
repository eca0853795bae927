import { CronError, maxGapSeconds, parseCron } from "../cron";
import { isOneShot, isScheduled } from "../jobs";
import { hintFor, Problem } from "../problems";
import type { Project } from "../project";
import type { ServiceSpec } from "../services";

const kindOf = (s: ServiceSpec): string => (isOneShot(s) ? "a one-shot job" : isScheduled(s) ? "a scheduled job" : "a service");

/** What a job must not have: it runs to completion (or under supercronic), so it serves and publishes nothing itself. */
function checkJobShape(service: ServiceSpec, at: string, problems: Problem[]): void {
  if (service.kind !== "job") {
    if (service.schedule) problems.push({ path: `${at}.schedule`, message: 'only a job runs on a schedule; set kind: "job"' });
    return;
  }
  const refuse = (field: string, why: string) => problems.push({ path: `${at}.${field}`, message: why });
  if (service.healthcheck)
    refuse("healthcheck", 'a job runs to completion and has no health; remove it (dependents wait with condition "completed")');
  if (service.ports.length > 0) refuse("ports", "a job serves nothing; remove its ports");
  if (service.metrics)
    refuse(
      "metrics",
      "a job declares no metrics endpoint: a scheduled job's runs are measured by supercronic, a one-shot job's by its exit code",
    );
  if (service.interactive) refuse("interactive", "a job runs to completion; it cannot keep a terminal open");
  if (!service.schedule) return;
  if (service.readOnlyRootfs)
    refuse(
      "readOnlyRootfs",
      "a scheduled job's crontab is placed into its container before it starts, which a read-only root filesystem refuses",
    );
  if (!service.command?.length)
    refuse(
      "command",
      "a scheduled job needs its whole command line (supercronic runs it with sh -c; the image's entrypoint does not apply)",
    );
  try {
    maxGapSeconds(parseCron(service.schedule.cron));
  } catch (e) {
    if (!(e instanceof CronError)) throw e;
    refuse("schedule.cron", `"${service.schedule.cron}" ${e.message}`);
  }
}

/**
 * Jobs, schedules and planned services: a job's shape, its cron, conditions that fit what they wait for, and no
 * deployable service that needs a planned one.
 */
export function checkJobs(project: Project, at: string, problems: Problem[]): void {
  const workstreams = project.workstreams.map((w) => w.id);
  for (const [name, service] of Object.entries(project.services)) {
    const svcAt = `${at}.services.${name}`;
    checkJobShape(service, svcAt, problems);
    service.planned?.workstreams.forEach((ws, i) => {
      if (!workstreams.includes(ws))
        problems.push({ path: `${svcAt}.planned.workstreams[${i}]`, message: `unknown workstream "${ws}"${hintFor(ws, workstreams)}` });
    });
    service.dependsOn.forEach((dep, i) => {
      const target = project.services[dep.service];
      if (!target || dep.service === name) return; // checkServices reports these
      const depAt = `${svcAt}.dependsOn[${i}]`;
      if (target.planned && !service.planned)
        problems.push({
          path: depAt,
          message:
            `"${dep.service}" is planned (waits for ${target.planned.waitsFor}), so "${name}" cannot be deployed without it; ` +
            `mark "${name}" planned too (planned: { waitsFor: "..." }), or drop the dependency`,
        });
      if (dep.condition === "completed" && !isOneShot(target))
        problems.push({
          path: `${depAt}.condition`,
          message: `"completed" waits for a one-shot job, and "${dep.service}" is ${kindOf(target)}; use "started"${target.healthcheck ? ' or "healthy"' : ""}`,
        });
      if (dep.condition !== "completed" && isOneShot(target))
        problems.push({
          path: `${depAt}.condition`,
          message: `"${dep.service}" is a one-shot job; wait for it with condition "completed" (it has no "${dep.condition}" state worth waiting for)`,
        });
    });
  }
}
