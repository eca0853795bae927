import type { ResolvedHost } from "../model";
import { DCGM_COUNTERS_PATH } from "../model/dcgm-counters";
import type { ConfigFile } from "../services/docker-service";
import { renderDashboard } from "./dashboard-json";
import { renderDcgmCsv } from "./dcgm-csv";
import {
  dashboards,
  GRAFANA_DASHBOARDS_DIR,
  GRAFANA_DATASOURCES_PATH,
  GRAFANA_PROVIDER_PATH,
  projectDashboardsDir,
  renderDashboardProvider,
  renderDatasources,
} from "./grafana";
import { PROMETHEUS_CONFIG_PATH, renderPrometheusConfig, renderRuleFile, ruleFilePath } from "./prometheus-config";

/**
 * Every file the host's observability set needs, per service of the set, rendered from the resolved host. Pure and
 * deterministic (stable key order, no timestamps): the same model gives the same bytes, so a second plan is empty,
 * and a changed model changes an upload, which replaces that container.
 */
export function observabilityFiles(host: ResolvedHost): Record<string, ConfigFile[]> {
  const { owner, services, targets } = host.observability;
  const ruleFiles = host.projects
    .filter((p) => p.alerts.length > 0)
    .map((p) => ({ path: ruleFilePath(p.project.id), content: renderRuleFile(p.project.id, p.alerts) }));

  const withDashboards = host.projects.map((p) => p.project).filter((p) => p.dashboards.length > 0);
  const files: Record<string, ConfigFile[]> = {
    prometheus: [
      {
        path: PROMETHEUS_CONFIG_PATH,
        content: renderPrometheusConfig(
          host.name,
          host.spec,
          targets,
          ruleFiles.map((f) => f.path),
        ),
      },
      ...ruleFiles,
    ],
    grafana: [
      { path: GRAFANA_DATASOURCES_PATH, content: renderDatasources(`${owner}-prometheus`) },
      { path: GRAFANA_PROVIDER_PATH, content: renderDashboardProvider(host.name, withDashboards) },
      ...dashboards(host).map((d) => ({ path: `${GRAFANA_DASHBOARDS_DIR}/${d.uid}.json`, content: renderDashboard(d) })),
      ...withDashboards.flatMap((p) =>
        p.dashboards.map((d) => ({ path: `${projectDashboardsDir(p.id)}/${d.uid}.json`, content: renderDashboard(d) })),
      ),
    ],
  };
  if (services["dcgm-exporter"]) files["dcgm-exporter"] = [{ path: DCGM_COUNTERS_PATH, content: renderDcgmCsv() }];
  return files;
}
