import type { HostSpec, Project, ServiceSpec } from "../model";
import type { ConfigFile } from "../services/docker-service";
import { DCGM_COUNTERS_PATH, renderDcgmCsv } from "./dcgm-counters";
import {
  dashboards,
  GRAFANA_DASHBOARDS_DIR,
  GRAFANA_DATASOURCES_PATH,
  GRAFANA_PROVIDER_PATH,
  renderDashboard,
  renderDashboardProvider,
  renderDatasources,
} from "./grafana";
import { hostObservabilityServices, observabilityOwner } from "./host-services";
import {
  PROMETHEUS_CONFIG_PATH,
  renderPrometheusConfig,
  renderRuleFile,
  ruleFilePath,
  scrapeTargets,
  ScrapeTarget,
} from "./prometheus-config";

export interface ObservabilityFilesInput {
  hostName: string;
  host: HostSpec;
  /** Projects placed on the host. */
  projects: readonly Project[];
  /** Profiles the target enables; services of other profiles are not deployed, so not scraped. Default: all. */
  profiles?: readonly string[];
}

export interface ObservabilityFiles {
  /** Host set services that will run (dcgm-exporter only where hostRunsDcgm). */
  services: Record<string, ServiceSpec>;
  targets: ScrapeTarget[];
  /** Files per host set service, uploaded into its container. */
  files: Record<string, ConfigFile[]>;
}

/**
 * Every file the host's observability set needs, rendered from the model. Pure and deterministic (stable key
 * order, no timestamps): the same model gives the same bytes, so a second plan is empty, and a changed model
 * changes an upload, which replaces that container.
 */
export function observabilityFiles(input: ObservabilityFilesInput): ObservabilityFiles {
  const { hostName, host, projects, profiles } = input;
  const owner = observabilityOwner(hostName);
  const services = hostObservabilityServices(hostName, host, projects);
  const targets = scrapeTargets(projects, { owner, services }, profiles);
  const withRules = projects.filter((p) => p.alerts.length > 0);
  const ruleFiles = withRules.map((p) => ({ path: ruleFilePath(p.id), content: renderRuleFile(p.id, p.alerts) }));

  const files: Record<string, ConfigFile[]> = {
    prometheus: [
      {
        path: PROMETHEUS_CONFIG_PATH,
        content: renderPrometheusConfig(
          hostName,
          host,
          targets,
          ruleFiles.map((f) => f.path),
        ),
      },
      ...ruleFiles,
    ],
    grafana: [
      { path: GRAFANA_DATASOURCES_PATH, content: renderDatasources(`${owner}-prometheus`) },
      { path: GRAFANA_PROVIDER_PATH, content: renderDashboardProvider(hostName) },
      ...dashboards({ hostName, projects, hostServices: services, profiles }).map((d) => ({
        path: `${GRAFANA_DASHBOARDS_DIR}/${d.uid}.json`,
        content: renderDashboard(d),
      })),
    ],
  };
  if (services["dcgm-exporter"]) files["dcgm-exporter"] = [{ path: DCGM_COUNTERS_PATH, content: renderDcgmCsv() }];
  return { services, targets, files };
}
