import { z } from "zod";
import { Duration } from "./common";

export const AlertRuleSchema = z.strictObject({
  alert: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, "must be an UpperCamelCase alert name"),
  expr: z.string().min(1),
  for: Duration.optional(),
  severity: z.enum(["critical", "warning", "info"]),
  /** Extra labels, e.g. component and category. */
  labels: z.record(z.string(), z.string()).default({}),
  summary: z.string().min(1),
  description: z.string().min(1),
});

export const AlertGroupSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  interval: Duration.default("1m"),
  rules: z.array(AlertRuleSchema).min(1),
});

export type AlertRuleSpec = z.infer<typeof AlertRuleSchema>;
export type AlertGroupSpec = z.infer<typeof AlertGroupSchema>;
