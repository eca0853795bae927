import { z } from "zod";
import { Slug } from "./common";

const EnvName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/);

export const RepositorySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .describe("Repository name under the GitHub owner"),
  description: z.string().min(1).describe("Repository description"),
  visibility: z.enum(["public", "private", "internal"]).default("private").describe("Repository visibility"),
  homepage: z.url().optional().describe("Homepage URL"),
  defaultBranch: z.string().min(1).default("main").describe("Default branch (protected by the ruleset)"),
  topics: z.array(Slug).default([]).describe("Repository topics"),
  requiredReviews: z.number().int().min(0).max(6).default(1).describe("Approving reviews a pull request needs before merging"),
  requiredChecks: z.array(z.string().min(1)).default([]).describe("Status checks (workflow job names) that must pass before merging"),
  variables: z.record(EnvName, z.string()).default({}).describe("GitHub Actions variables (not secret)"),
  secrets: z
    .array(
      z.strictObject({
        name: EnvName.describe("Actions secret name"),
        from: EnvName.describe("Environment variable on the deploying machine that holds its value"),
      }),
    )
    .default([])
    .describe("GitHub Actions secrets; each value comes from an environment variable at deploy time"),
  takeOver: z
    .array(z.string().regex(/^[^/].*[^/]$/, "a file path in the repository, without a leading or trailing slash"))
    .default([])
    .describe(
      "Paths of hand-written files that the generated version may replace; every other hand-written file at a generated path is left alone and shown as a conflict",
    ),
});

export type RepositorySpec = z.infer<typeof RepositorySchema>;
