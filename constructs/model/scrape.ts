import { z } from "zod";

const LabelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, "must be a Prometheus label name");

/** A label copied into another after the scrape (a `metric_relabel_configs` replace rule), e.g. gpu → gpu_id. */
export const RelabelSchema = z.strictObject({
  from: LabelName.describe("Label read from each scraped series"),
  to: LabelName.describe("Label written"),
  regex: z.string().default("(.*)").describe("Regular expression the source value must match (anchored)"),
  replacement: z.string().default("$1").describe('New value; `$1` is the first group, e.g. "gpu_$1"'),
});

/** How Prometheus treats what one endpoint serves, beyond where it is. */
export const ScrapeOptionFields = {
  honorLabels: z
    .boolean()
    .default(false)
    .describe("Keep the endpoint's own labels where they clash with the job's (Prometheus `honor_labels`)"),
  keep: z
    .string()
    .optional()
    .describe(
      "Regular expression of the metric names kept after the scrape; the rest are dropped, and rules and dashboards may not use them",
    ),
  relabel: z.array(RelabelSchema).default([]).describe("Labels derived from others after the scrape (`metric_relabel_configs`)"),
};

export type RelabelSpec = z.infer<typeof RelabelSchema>;

/** Whether a metric name survives an endpoint's `keep` filter (Prometheus anchors the regex). */
export function keptBy(keep: string | undefined): (metric: string) => boolean {
  if (keep === undefined) return () => true;
  const re = new RegExp(`^(?:${keep})$`);
  return (metric) => re.test(metric);
}
