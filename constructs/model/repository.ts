import { z } from "zod";
import { Slug } from "./common";

export const RepositorySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._-]+$/),
  description: z.string().min(1),
  visibility: z.enum(["public", "private", "internal"]).default("private"),
  homepage: z.url().optional(),
  defaultBranch: z.string().min(1).default("main"),
  topics: z.array(Slug).default([]),
  /** Approving reviews a pull request needs before merging into the default branch. */
  requiredReviews: z.number().int().min(0).max(6).default(1),
  /** Status checks (workflow job names) that must pass before merging. */
  requiredChecks: z.array(z.string().min(1)).default([]),
  /** GitHub Actions variables (not secret). */
  variables: z.record(z.string().regex(/^[A-Z_][A-Z0-9_]*$/), z.string()).default({}),
  /** GitHub Actions secrets, by name; each value comes from the named environment variable at deploy time. */
  secrets: z
    .array(z.strictObject({ name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/), from: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }))
    .default([]),
});

export type RepositorySpec = z.infer<typeof RepositorySchema>;
