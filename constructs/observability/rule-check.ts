import type { HostSpec, Project, ServiceSpec } from "../model";
import { durationSeconds } from "../model/common";
import { closestMatch } from "../model/graph";
import type { Problem } from "../model/validate";
import { dcgmMetricNames } from "./dcgm-counters";
import { hostObservabilityServices, observabilityOwner } from "./host-services";
import { promqlReferences } from "./promql";

/** Series Prometheus writes itself for every target and every alerting rule. */
export const BUILTIN_METRICS = [
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
  "ALERTS",
  "ALERTS_FOR_STATE",
] as const;

/** Labels every scrape job sets itself; a service's `metrics.labels` may not redefine them. */
export const RESERVED_TARGET_LABELS = ["project", "service", "role", "job", "instance"] as const;

/** Project id of the host's own observability set in job names and labels ("host-prometheus"). */
export const HOST_PROJECT = "host";

export const deployedServices = (project: Project, profiles?: readonly string[]): [string, ServiceSpec][] =>
  Object.entries(project.services).filter(([, s]) => !s.profile || profiles === undefined || profiles.includes(s.profile));

/**
 * Metric names a service's endpoint yields: its `exposes`, plus the `_sum`/`_count` series of every histogram it
 * lists by its `_bucket` series.
 */
export function seriesOf(exposes: readonly string[]): string[] {
  return exposes.flatMap((name) =>
    name.endsWith("_bucket") ? [name, name.replace(/_bucket$/, "_sum"), name.replace(/_bucket$/, "_count")] : [name],
  );
}

/** Everything Prometheus on the host can hold: built-ins, the host set's exporters and every deployed project service. */
export function hostMetricNames(
  hostServices: Record<string, ServiceSpec>,
  projects: readonly Project[],
  profiles?: readonly string[],
): Set<string> {
  const names = new Set<string>(BUILTIN_METRICS);
  for (const [name, spec] of Object.entries(hostServices)) {
    for (const m of seriesOf(spec.metrics?.exposes ?? [])) names.add(m);
    if (name === "dcgm-exporter") for (const m of dcgmMetricNames()) names.add(m);
  }
  for (const p of projects)
    for (const [, s] of deployedServices(p, profiles)) for (const m of seriesOf(s.metrics?.exposes ?? [])) names.add(m);
  return names;
}

/** Scrape job names on the host: "<project>-<service>" for every service with a metrics endpoint. */
export function scrapeJobNames(
  hostServices: Record<string, ServiceSpec>,
  projects: readonly Project[],
  profiles?: readonly string[],
): Set<string> {
  const jobs = new Set<string>();
  for (const [name, spec] of Object.entries(hostServices)) if (spec.metrics) jobs.add(`${HOST_PROJECT}-${name}`);
  for (const p of projects) for (const [name, s] of deployedServices(p, profiles)) if (s.metrics) jobs.add(`${p.id}-${name}`);
  return jobs;
}

const hint = (value: string, known: Iterable<string>) => {
  const match = closestMatch(value, known);
  return match ? ` (did you mean "${match}"?)` : "";
};

/**
 * Checks one project's alert rules and metrics endpoints against what the host offers. Paths look like
 * `projects.dgx-pixels.alerts.gpu_critical.GPUHighTemperature.expr`.
 */
export function checkObservability(project: Project, hostMetricNames: Set<string>, jobs: Set<string>, at: string): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(hostMetricNames);
  for (const [, s] of Object.entries(project.services)) for (const m of seriesOf(s.metrics?.exposes ?? [])) known.add(m);

  for (const [name, service] of Object.entries(project.services)) {
    const metrics = service.metrics;
    if (!metrics) continue;
    const mAt = `${at}.services.${name}.metrics`;
    if (durationSeconds(metrics.timeout) > durationSeconds(metrics.interval))
      problems.push({ path: `${mAt}.timeout`, message: `${metrics.timeout} is longer than the scrape interval ${metrics.interval}` });
    for (const label of Object.keys(metrics.labels))
      if ((RESERVED_TARGET_LABELS as readonly string[]).includes(label))
        problems.push({ path: `${mAt}.labels.${label}`, message: `"${label}" is set by the scrape job itself; choose another label name` });
  }

  const groupNames = new Set<string>();
  for (const group of project.alerts) {
    const gAt = `${at}.alerts.${group.name}`;
    if (groupNames.has(group.name)) problems.push({ path: gAt, message: `duplicate alert group "${group.name}"` });
    groupNames.add(group.name);
    const alertNames = new Set<string>();
    for (const rule of group.rules) {
      const rAt = `${gAt}.${rule.alert}`;
      if (alertNames.has(rule.alert)) problems.push({ path: rAt, message: `duplicate alert "${rule.alert}" in group "${group.name}"` });
      alertNames.add(rule.alert);
      if (rule.labels.severity !== undefined)
        problems.push({ path: `${rAt}.labels.severity`, message: `set "severity" with the rule's severity field, not as a label` });
      if (rule.labels.project !== undefined)
        problems.push({ path: `${rAt}.labels.project`, message: `"project" is set to "${project.id}" on every rule; remove the label` });
      const refs = promqlReferences(rule.expr);
      if (refs.metrics.length === 0 && !refs.jobs.length)
        problems.push({ path: `${rAt}.expr`, message: `names no metric; an alert must watch a series` });
      for (const metric of refs.metrics)
        if (!known.has(metric)) problems.push({ path: `${rAt}.expr`, message: `unknown metric "${metric}"${hint(metric, known)}` });
      for (const job of refs.jobs) {
        if (job.op === "=" && !jobs.has(job.value))
          problems.push({ path: `${rAt}.expr`, message: `unknown job "${job.value}"${hint(job.value, jobs)}` });
        if (job.op === "=~") {
          let re: RegExp | undefined;
          try {
            re = new RegExp(`^(?:${job.value})$`);
          } catch {
            problems.push({ path: `${rAt}.expr`, message: `job matcher =~"${job.value}" is not a valid regular expression` });
          }
          if (re && ![...jobs].some((j) => re!.test(j)))
            problems.push({
              path: `${rAt}.expr`,
              message: `job matcher =~"${job.value}" matches no scrape job (jobs: ${[...jobs].sort().join(", ")})`,
            });
        }
      }
    }
  }
  return problems;
}

/**
 * Every observability problem of one host: each placed project's rules checked against the host's metrics and
 * jobs, plus scrape job names that two services would share. Call once per host of the target.
 */
export function observabilityProblems(
  hostName: string,
  host: HostSpec,
  placed: readonly Project[],
  profiles?: readonly string[],
): Problem[] {
  const hostServices = hostObservabilityServices(hostName, host, placed);
  const metrics = hostMetricNames(hostServices, placed, profiles);
  const jobs = scrapeJobNames(hostServices, placed, profiles);
  const problems = placed.flatMap((p) => checkObservability(p, metrics, jobs, `projects.${p.id}`));

  const owners = new Map<string, string>();
  for (const [name, spec] of Object.entries(hostServices))
    if (spec.metrics) owners.set(`${HOST_PROJECT}-${name}`, `hosts.${hostName}.observability.${name}`);
  for (const p of placed) {
    if (p.id === HOST_PROJECT)
      problems.push({
        path: `projects.${p.id}`,
        message: `project id "${HOST_PROJECT}" is reserved for the host's observability set (${observabilityOwner(hostName)})`,
      });
    for (const [name, s] of deployedServices(p, profiles)) {
      if (!s.metrics) continue;
      const job = `${p.id}-${name}`;
      const path = `projects.${p.id}.services.${name}.metrics`;
      const other = owners.get(job);
      if (other) problems.push({ path, message: `scrape job "${job}" is already taken by ${other}` });
      else owners.set(job, path);
    }
  }
  return problems;
}
