// The alert rules Prometheus gets for a placed project: the blueprint's own, less those that only planned services
// could ever satisfy (they move with their service when it becomes real), plus a generated group per scheduled job
// that watches its runs through supercronic's metrics.
import { keptSeries } from "./checks/observability";
import { durationSeconds } from "./common";
import { CronError, maxGapSeconds, parseCron } from "./cron";
import { isScheduled, metricsOf, scheduleGroupName, type ScheduleSpec } from "./jobs";
import type { AlertGroupSpec } from "./observability";
import type { Project } from "./project";
import { promqlReferences } from "./promql";

/** How long a failed run keeps its alert firing: the schedule's longest gap, at least 10 minutes, at most a day. */
const FAILED_WINDOW = { min: 600, max: 86_400 };

/** Prometheus' duration form of whole seconds, e.g. 86400 → "1d", 90 → "90s". */
const promSeconds = (seconds: number): string =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400}d`
    : seconds % 3600 === 0
      ? `${seconds / 3600}h`
      : seconds % 60 === 0
        ? `${seconds / 60}m`
        : `${seconds}s`;

const seriesOf = (spec: Project["services"][string]): string[] => keptSeries(metricsOf(spec));

/**
 * Whether a rule can only ever see series of planned services: it names a metric that only planned services expose,
 * or a `job` that only a planned service would be.
 */
function waitsForPlanned(
  expr: string,
  plannedOnly: ReadonlySet<string>,
  plannedJobs: ReadonlySet<string>,
  liveJobs: ReadonlySet<string>,
): boolean {
  const refs = promqlReferences(expr);
  if (refs.metrics.some((m) => plannedOnly.has(m))) return true;
  return refs.jobs.some((j) => {
    if (j.op === "=") return plannedJobs.has(j.value);
    if (j.op !== "=~") return false;
    const re = new RegExp(`^(?:${j.value})$`);
    return [...plannedJobs].some((job) => re.test(job)) && ![...liveJobs].some((job) => re.test(job));
  });
}

/** The project's own alert groups without the rules that wait for planned services; groups left empty are dropped. */
export function deployableAlerts(project: Project): AlertGroupSpec[] {
  const entries = Object.entries(project.services);
  const planned = entries.filter(([, s]) => s.planned);
  const live = entries.filter(([, s]) => !s.planned);
  const liveSeries = new Set(live.flatMap(([, s]) => seriesOf(s)));
  const plannedOnly = new Set(planned.flatMap(([, s]) => seriesOf(s)).filter((m) => !liveSeries.has(m)));
  const jobsOf = (list: typeof entries) => new Set(list.filter(([, s]) => metricsOf(s)).map(([name]) => `${project.id}-${name}`));
  const plannedJobs = jobsOf(planned);
  const liveJobs = jobsOf(live);
  return project.alerts
    .map((g) => ({ ...g, rules: g.rules.filter((r) => !waitsForPlanned(r.expr, plannedOnly, plannedJobs, liveJobs)) }))
    .filter((g) => g.rules.length > 0);
}

/**
 * The rules that watch one scheduled job through its supercronic metrics (scrape job `<project>-<service>`):
 * - a run failed (a failure series that grew within the window, or appeared in it: a counter's first sample is
 *   its first failure);
 * - runs fell behind the schedule: fewer finished runs since supercronic started than the schedule guarantees (one
 *   per longest gap) once the grace has passed; this also catches runs skipped because the previous one overran;
 * - supercronic is not answering, so nothing runs.
 */
export function scheduleAlertGroup(project: string, service: string, schedule: ScheduleSpec): AlertGroupSpec {
  const job = `${project}-${service}`;
  const sel = `{job="${job}"}`;
  const gap = maxGapSeconds(parseCron(schedule.cron));
  const grace = durationSeconds(schedule.grace);
  const window = promSeconds(Math.min(Math.max(gap, FAILED_WINDOW.min), FAILED_WINDOW.max));
  const when = `cron "${schedule.cron}" (${schedule.timezone})`;
  const labels = { component: "schedule", service };
  const failed = `supercronic_failed_executions${sel}`;
  return {
    name: scheduleGroupName(project, service),
    interval: "30s",
    rules: [
      {
        alert: "ScheduledJobFailed",
        expr: `increase(${failed}[${window}]) > 0 or (${failed} unless ${failed} offset ${window})`,
        severity: "warning",
        labels,
        summary: `A run of ${job} failed`,
        description: `A run of ${job} (${when}) exited non-zero within the last ${window}; its container log has supercronic's "error running command: exit status N" line and the run's output.`,
      },
      {
        alert: "ScheduledJobMissed",
        expr:
          `floor((time() - max(process_start_time_seconds${sel}) - ${grace}) / ${gap}) ` +
          `> (sum(supercronic_executions${sel}) or vector(0))`,
        severity: "warning",
        labels,
        summary: `${job} is behind its schedule`,
        description: `${job} (${when}) finished fewer runs since its scheduler started than the schedule guarantees, ${schedule.grace} of grace included: a run did not start (a previous one overran) or did not finish.`,
      },
      {
        alert: "ScheduledJobDown",
        expr: `up${sel} == 0`,
        for: "5m",
        severity: "warning",
        labels,
        summary: `The scheduler of ${job} is down`,
        description: `Prometheus cannot scrape supercronic in ${job}, so its runs are not happening or not visible.`,
      },
    ],
  };
}

/** The generated groups of a project's placed scheduled jobs; a cron that does not parse gets none (validation says why). */
export function scheduleAlertGroups(
  project: string,
  services: Record<string, Pick<Project["services"][string], "kind" | "schedule">>,
): AlertGroupSpec[] {
  return Object.entries(services).flatMap(([name, spec]) => {
    if (!isScheduled(spec)) return [];
    try {
      return [scheduleAlertGroup(project, name, spec.schedule)];
    } catch (e) {
      if (e instanceof CronError) return [];
      throw e;
    }
  });
}
