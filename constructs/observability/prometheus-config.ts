import type { Project } from "../model";
import { goDuration } from "../model";

export interface ScrapeTarget {
  project: string;
  service: string;
  role: string;
  /** host:port on the shared observability network. */
  address: string;
  path: string;
  interval: string;
  timeout: string;
  labels: Record<string, string>;
}

/** Scrape jobs are named "<project>-<service>" and address the container by name, never localhost. */
export function scrapeTargets(projects: readonly Project[], hostSet: { owner: string; services: Record<string, Project["services"][string]> }): ScrapeTarget[] {
  const targets: ScrapeTarget[] = [];
  const add = (project: string, owner: string, services: Project["services"]) => {
    for (const [service, spec] of Object.entries(services)) {
      if (!spec.metrics) continue;
      targets.push({
        project,
        service,
        role: spec.role,
        address: `${owner}-${service}:${spec.metrics.port}`,
        path: spec.metrics.path,
        interval: goDuration(spec.metrics.interval),
        timeout: goDuration(spec.metrics.timeout),
        labels: spec.metrics.labels,
      });
    }
  };
  add("host", hostSet.owner, hostSet.services);
  for (const p of projects) add(p.id, p.id, p.services);
  return targets;
}

export const jobName = (t: Pick<ScrapeTarget, "project" | "service">) => `${t.project}-${t.service}`;
