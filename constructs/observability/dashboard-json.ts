// Dashboard JSON as Grafana 10 reads it from provisioning files, rendered from the model's dashboards.
import type { DashboardSpec, DashboardVariableSpec, PanelSpec } from "../model/observability";
import { DATASOURCE_UID } from "./grafana";
import { promDuration } from "./prometheus-config";

/** Grafana dashboard JSON (schema 38, Grafana 10) with a deterministic two-column layout. */
export function renderDashboard(d: DashboardSpec): string {
  const datasource = { type: "prometheus", uid: DATASOURCE_UID };
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let x = 0;
  let y = 0;
  const newline = () => {
    if (x > 0) {
      x = 0;
      y += 8;
    }
  };
  for (const p of d.panels) {
    if (p.row) {
      newline();
      panels.push({ id: id++, type: "row", title: p.row, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
      y += 1;
    }
    const w = p.wide ? 24 : 12;
    if (x + w > 24) newline();
    panels.push(panelJson(p, id++, { h: 8, w, x, y }, datasource));
    x += w;
    if (x >= 24) newline();
  }
  const json = {
    uid: d.uid,
    title: d.title,
    tags: d.tags,
    editable: false,
    graphTooltip: 1,
    refresh: promDuration(d.refresh),
    schemaVersion: 38,
    version: 1,
    time: { from: `now-${promDuration(d.timeRange)}`, to: "now" },
    timezone: "browser",
    annotations: { list: [] },
    templating: { list: d.variables.map(variableJson) },
    panels,
  };
  return JSON.stringify(json, null, 2) + "\n";
}

/** A query variable over a label's values. */
function variableJson(v: DashboardVariableSpec): Record<string, unknown> {
  const query = `label_values(${v.metric}, ${v.label})`;
  return {
    name: v.name,
    type: "query",
    datasource: { type: "prometheus", uid: DATASOURCE_UID },
    definition: query,
    query: { query, refId: "StandardVariableQuery" },
    refresh: 1,
    includeAll: false,
    multi: false,
    sort: 1,
    hide: 0,
  };
}

function panelJson(p: PanelSpec, id: number, gridPos: Record<string, number>, datasource: Record<string, string>): Record<string, unknown> {
  const table = p.kind === "table";
  return {
    id,
    type: p.kind,
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    datasource,
    gridPos,
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    options:
      p.kind === "timeseries"
        ? { legend: { displayMode: "list", placement: "bottom", showLegend: true } }
        : table
          ? { showHeader: true }
          : { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } },
    targets: p.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource,
      expr: q.expr,
      legendFormat: q.legend || "__auto",
      ...(table ? { instant: true, format: "table" } : { range: true }),
    })),
    // A table's instant queries merge into one row, each column named after its query's legend.
    ...(table
      ? {
          transformations: [
            { id: "merge", options: {} },
            {
              id: "organize",
              options: {
                excludeByName: { Time: true },
                renameByName: Object.fromEntries(p.queries.map((q, i) => [`Value #${String.fromCharCode(65 + i)}`, q.legend || q.expr])),
              },
            },
          ],
        }
      : {}),
  };
}
