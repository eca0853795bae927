import { durationSeconds } from "../common";
import { dcgmMetricNames } from "../dcgm-counters";
import { HOST_PROJECT } from "../observability-set";
import { hintFor, Problem } from "../problems";
import type { Project } from "../project";
import { promqlReferences } from "../promql";
import type { ResolvedHost, ResolvedService } from "../resolved";
import { keptBy } from "../scrape";
import { metricsOf } from "../jobs";
import type { MetricsEndpointSpec } from "../services";

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

/**
 * Metric names a service's endpoint yields: its `exposes`, plus the `_sum`/`_count` series of every histogram it
 * lists by its `_bucket` series.
 */
export function seriesOf(exposes: readonly string[]): string[] {
  return exposes.flatMap((name) =>
    name.endsWith("_bucket") ? [name, name.replace(/_bucket$/, "_sum"), name.replace(/_bucket$/, "_count")] : [name],
  );
}

/** What Prometheus keeps of one endpoint: its series, less those its `keep` filter drops. */
export function keptSeries(metrics: MetricsEndpointSpec | undefined, extra: readonly string[] = []): string[] {
  return [...seriesOf(metrics?.exposes ?? []), ...extra].filter(keptBy(metrics?.keep));
}

/** Everything Prometheus on the host can hold: built-ins, the host set's exporters and every deployed project service. */
export function hostMetricNames(host: ResolvedHost): Set<string> {
  const names = new Set<string>(BUILTIN_METRICS);
  for (const [name, service] of Object.entries(host.observability.services))
    for (const m of keptSeries(service.spec.metrics, name === "dcgm-exporter" ? dcgmMetricNames() : [])) names.add(m);
  for (const service of deployed(host)) for (const m of keptSeries(service.spec.metrics)) names.add(m);
  return names;
}

/** The metrics and `job` matchers of one PromQL expression, checked against the host. */
function checkExpr(expr: string, at: string, known: Set<string>, jobs: Set<string>, problems: Problem[]): void {
  const refs = promqlReferences(expr);
  for (const metric of refs.metrics)
    if (!known.has(metric)) problems.push({ path: at, message: `unknown metric "${metric}"${hintFor(metric, known)}` });
  for (const job of refs.jobs) {
    if (job.op === "=" && !jobs.has(job.value))
      problems.push({ path: at, message: `unknown job "${job.value}"${hintFor(job.value, jobs)}` });
    if (job.op === "=~") {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^(?:${job.value})$`);
      } catch {
        problems.push({ path: at, message: `job matcher =~"${job.value}" is not a valid regular expression` });
      }
      if (re && ![...jobs].some((j) => re!.test(j)))
        problems.push({ path: at, message: `job matcher =~"${job.value}" matches no scrape job (jobs: ${[...jobs].sort().join(", ")})` });
    }
  }
}

const deployed = (host: ResolvedHost): ResolvedService[] => host.projects.flatMap((p) => Object.values(p.services));

/**
 * Checks one project's alert rules and metrics endpoints against what the host offers. Paths look like
 * `projects.dgx-pixels.alerts.gpu_critical.GPUHighTemperature.expr`.
 */
export function checkObservability(project: Project, hostMetricNames: Set<string>, jobs: Set<string>, at: string): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(hostMetricNames);
  // Every service's series, planned ones too: rules on them are checked now and rendered once their service is real.
  for (const [, s] of Object.entries(project.services)) for (const m of keptSeries(metricsOf(s))) known.add(m);

  for (const [name, service] of Object.entries(project.services)) {
    const metrics = service.metrics;
    if (!metrics) continue;
    const mAt = `${at}.services.${name}.metrics`;
    if (durationSeconds(metrics.timeout) > durationSeconds(metrics.interval))
      problems.push({ path: `${mAt}.timeout`, message: `${metrics.timeout} is longer than the scrape interval ${metrics.interval}` });
    if (metrics.keep !== undefined)
      try {
        new RegExp(metrics.keep);
      } catch {
        problems.push({ path: `${mAt}.keep`, message: `"${metrics.keep}" is not a valid regular expression` });
      }
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
      checkExpr(rule.expr, `${rAt}.expr`, known, jobs, problems);
    }
  }
  project.dashboards.forEach((d) => {
    const dAt = `${at}.dashboards.${d.uid}`;
    d.variables.forEach((v, i) => {
      if (!known.has(v.metric))
        problems.push({ path: `${dAt}.variables[${i}].metric`, message: `unknown metric "${v.metric}"${hintFor(v.metric, known)}` });
    });
    d.panels.forEach((panel, i) =>
      panel.queries.forEach((q, j) => checkExpr(q.expr, `${dAt}.panels[${i}].queries[${j}].expr`, known, jobs, problems)),
    );
  });
  return problems;
}

/**
 * Every observability problem of one host: each placed project's rules checked against the host's metrics and
 * scrape jobs, plus scrape job names that two services would share.
 */
export function observabilityProblems(host: ResolvedHost): Problem[] {
  const metrics = hostMetricNames(host);
  const jobs = new Set(host.observability.targets.map((t) => `${t.project}-${t.service}`));
  // A planned service's scrape job exists once it is deployed; rules may name it now (they are not rendered until then).
  for (const { project } of host.projects)
    for (const [name, s] of Object.entries(project.services)) if (s.planned && metricsOf(s)) jobs.add(`${project.id}-${name}`);
  const problems = host.projects.flatMap((p) => checkObservability(p.project, metrics, jobs, `projects.${p.project.id}`));

  const owners = new Map<string, string>();
  for (const [name, service] of Object.entries(host.observability.services))
    if (service.spec.metrics) owners.set(`${HOST_PROJECT}-${name}`, `hosts.${host.name}.observability.${name}`);
  for (const { project, services } of host.projects) {
    if (project.id === HOST_PROJECT)
      problems.push({
        path: `projects.${project.id}`,
        message: `project id "${HOST_PROJECT}" is reserved for the host's observability set (${host.observability.owner})`,
      });
    for (const [name, service] of Object.entries(services)) {
      if (!service.spec.metrics) continue;
      const job = `${project.id}-${name}`;
      const path = `projects.${project.id}.services.${name}.metrics`;
      const other = owners.get(job);
      if (other) problems.push({ path, message: `scrape job "${job}" is already taken by ${other}` });
      else owners.set(job, path);
    }
  }
  return problems;
}
