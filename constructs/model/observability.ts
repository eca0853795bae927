import { z } from "zod";
import { Duration } from "./common";

export const AlertRuleSchema = z.strictObject({
  alert: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/, "must be an UpperCamelCase alert name")
    .describe("Alert name, UpperCamelCase"),
  expr: z.string().min(1).describe('PromQL; every metric it names must be exposed on the host, every `job="..."` must be a scrape job'),
  for: Duration.optional().describe("How long the condition must hold"),
  severity: z.enum(["critical", "warning", "info"]).describe("Severity label"),
  labels: z
    .record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string())
    .default({})
    .describe("Extra labels, e.g. component and category"),
  summary: z.string().min(1).describe("One-line summary"),
  description: z.string().min(1).describe("What it means and what to do"),
});

export const AlertGroupSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/)
    .describe("Rule group name"),
  interval: Duration.default("1m").describe("Evaluation interval"),
  rules: z.array(AlertRuleSchema).min(1).describe("Rules"),
});

export type AlertRuleSpec = z.infer<typeof AlertRuleSchema>;
export type AlertGroupSpec = z.infer<typeof AlertGroupSchema>;

/**
 * One field of the DCGM exporter's counters CSV (`NAME, type, help`). "label" fields are attached to other
 * metrics as labels by the exporter and are not series of their own.
 */
export const DcgmCounterSchema = z.strictObject({
  name: z.string().regex(/^DCGM_FI_[A-Z0-9_]+$/, "must be a DCGM field name such as DCGM_FI_DEV_GPU_UTIL"),
  type: z.enum(["gauge", "counter", "label"]),
  help: z
    .string()
    .min(1)
    .refine((h) => !/[\r\n]/.test(h), "must be one line"),
});

/** A named set of counters with the collection interval the source config gave it (documentation; the CSV has no intervals). */
export const DcgmCounterGroupSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  intervalMs: z.number().int().positive(),
  counters: z.array(DcgmCounterSchema).min(1),
});

export type DcgmCounterSpec = z.infer<typeof DcgmCounterSchema>;
export type DcgmCounterGroupSpec = z.infer<typeof DcgmCounterGroupSchema>;

/** One query of a dashboard panel. */
export const PanelQuerySchema = z.strictObject({
  expr: z.string().min(1).describe("PromQL; every metric it names must be exposed on the host"),
  legend: z.string().default("").describe("Legend format, e.g. `GPU {{gpu}}`; Grafana's automatic legend when empty"),
});

/** A Grafana panel as the generator understands it; rendered to dashboard JSON with a fixed layout. */
export const PanelSchema = z.strictObject({
  title: z.string().min(1).describe("Panel title"),
  kind: z
    .enum(["timeseries", "stat", "gauge", "table"])
    .default("timeseries")
    .describe("Visualization; a `table` runs its queries once (instant) and merges them into one row"),
  unit: z.string().default("short").describe('Grafana unit id, e.g. "percent", "celsius", "watt", "decmbytes", "s", "ops", "short"'),
  description: z.string().optional().describe("Shown in the panel's info tooltip"),
  queries: z.array(PanelQuerySchema).min(1).describe("Queries, drawn in order"),
  wide: z.boolean().default(false).describe("Full row width instead of half"),
  row: z.string().optional().describe("Starts a new titled row before this panel"),
});

/** A dashboard variable filled from a label's values (`label_values(metric, label)`). */
export const DashboardVariableSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/)
    .describe("Variable name; queries use it as `$name`"),
  metric: z
    .string()
    .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/)
    .describe("Metric whose label values it offers; it must be exposed on the host"),
  label: z
    .string()
    .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/)
    .describe("Label whose values it offers"),
});

export const DashboardSchema = z.strictObject({
  uid: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .describe("Stable dashboard uid (links and bookmarks use it)"),
  title: z.string().min(1).describe("Dashboard title"),
  tags: z.array(z.string()).default([]).describe("Dashboard tags"),
  refresh: Duration.default("30s").describe("Auto-refresh interval"),
  timeRange: Duration.default("6h").describe("Time range shown when the dashboard opens (now minus this)"),
  variables: z.array(DashboardVariableSchema).default([]).describe("Template variables, e.g. a GPU picker"),
  panels: z.array(PanelSchema).describe("Panels, laid out two per row in order"),
});

export type PanelSpec = z.infer<typeof PanelSchema>;
export type PanelInput = z.input<typeof PanelSchema>;
export type DashboardSpec = z.infer<typeof DashboardSchema>;
export type DashboardInput = z.input<typeof DashboardSchema>;
export type DashboardVariableSpec = z.infer<typeof DashboardVariableSchema>;
