// The adoption map: which existing objects a project's stacks take over instead of creating, written by
// `just adopt <project>` to adoption/<project>.json (committed) and confirmed by a person. One section per kind of
// object (GitHub here; others add theirs beside it). Synth turns confirmed entries into OpenTofu `import` blocks.
import { z } from "zod";
import { Slug } from "./common";
import { duplicates, Problem, unknownReference } from "./problems";
import type { Project } from "./project";

const IssueState = z.enum(["open", "closed"]);

const match = {
  confirmed: z.boolean().describe("A person checked this match (set it to true); only confirmed matches are imported"),
  why: z.string().describe("How `just adopt` found the match"),
};

const AdoptedNumbered = z.strictObject({
  number: z.number().int().positive().describe("The object's number in the repository"),
  title: z.string().describe("Its title when `just adopt` read it"),
  state: IssueState.describe("`open` or `closed` when `just adopt` read it"),
  ...match,
});

const AdoptedLabel = z.strictObject({
  name: z.string().min(1).describe("The label's name as GitHub spells it"),
  ...match,
});

const AdoptedFile = z.strictObject({
  writer: z
    .enum(["sparky-infra", "person"])
    .describe("`sparky-infra` when the file carries the generated marker (it is imported), else `person` (it is left alone)"),
  sha: z.string().describe("Blob sha when `just adopt` read it"),
});

const Unmatched = z.strictObject({
  labels: z.array(z.string()).default([]).describe("Labels the model does not define: people's, never touched"),
  milestones: z
    .array(z.strictObject({ number: z.number().int(), title: z.string(), state: IssueState }))
    .default([])
    .describe("Milestones no model milestone matched: never touched"),
  issues: z
    .array(z.strictObject({ number: z.number().int(), title: z.string(), state: IssueState, note: z.string().optional() }))
    .default([])
    .describe("Issues no workstream, gate or tracking issue matched: never touched, never duplicated"),
});

export const GitHubAdoptionSchema = z.strictObject({
  owner: z.string().min(1).describe("GitHub owner the numbers belong to; the map applies only when the config's `github.owner` is this"),
  baseUrl: z.string().optional().describe("API base the numbers belong to (unset: GitHub.com)"),
  repository: z
    .strictObject({
      name: z.string().min(1).describe("Repository name"),
      id: z.number().int().positive().describe("GitHub's id of the repository"),
    })
    .describe("The existing repository (imported)"),
  ruleset: z
    .strictObject({ name: z.string().min(1).describe("Ruleset name"), id: z.number().int().positive().describe("Ruleset id") })
    .optional()
    .describe("The existing ruleset of the model's name (imported)"),
  variables: z.array(z.string()).default([]).describe("Existing Actions variables the model declares (imported)"),
  labels: z.record(z.string(), AdoptedLabel).default({}).describe("Model label name → the existing label"),
  milestones: z.record(z.string(), AdoptedNumbered).default({}).describe("Model milestone id → the existing milestone"),
  workstreams: z.record(z.string(), AdoptedNumbered).default({}).describe("Workstream id → its existing issue"),
  gates: z.record(z.string(), AdoptedNumbered).default({}).describe("Gate id → its existing issue"),
  tracking: AdoptedNumbered.optional().describe("The existing tracking issue"),
  files: z.record(z.string(), AdoptedFile).default({}).describe("Generated path → what exists there"),
  unmatched: Unmatched.default({ labels: [], milestones: [], issues: [] }).describe("What exists and matches nothing in the model"),
});

export const AdoptionSchema = z.strictObject({
  $comment: z.string().optional().describe("How to read and confirm the map"),
  project: Slug.describe("The project the map belongs to"),
  github: GitHubAdoptionSchema.optional().describe("The project's existing GitHub objects"),
});

export type GitHubAdoption = z.infer<typeof GitHubAdoptionSchema>;
export type Adoption = z.infer<typeof AdoptionSchema>;
export type AdoptedIssue = z.infer<typeof AdoptedNumbered>;
export type AdoptedFileEntry = z.infer<typeof AdoptedFile>;

/** References the map makes to the model, and issue numbers it hands out twice. */
export function checkAdoption(adoption: Adoption, project: Project, at: string): Problem[] {
  const problems: Problem[] = [];
  if (adoption.project !== project.id)
    problems.push({ path: `${at}.project`, message: `the map belongs to "${adoption.project}", not "${project.id}"` });
  const github = adoption.github;
  if (!github) return problems;
  if (github.repository.name !== project.repository.name)
    problems.push({
      path: `${at}.github.repository.name`,
      message: `"${github.repository.name}" is not the project's repository "${project.repository.name}"`,
    });
  const known: [string, Record<string, unknown>, string[]][] = [
    ["milestone", github.milestones, project.milestones.map((m) => m.id)],
    ["workstream", github.workstreams, project.workstreams.map((w) => w.id)],
    ["gate", github.gates, project.gates.map((g) => g.id)],
  ];
  for (const [kind, entries, ids] of known)
    for (const id of Object.keys(entries))
      if (!ids.includes(id)) problems.push({ path: `${at}.github.${kind}s.${id}`, message: unknownReference(kind, id, ids) });
  const numbers = [...Object.values(github.workstreams), ...Object.values(github.gates), ...(github.tracking ? [github.tracking] : [])].map(
    (i) => String(i.number),
  );
  for (const n of duplicates(numbers)) problems.push({ path: `${at}.github`, message: `issue #${n} is matched to two model issues` });
  for (const n of duplicates(Object.values(github.milestones).map((m) => String(m.number))))
    problems.push({ path: `${at}.github.milestones`, message: `milestone #${n} is matched to two model milestones` });
  return problems;
}

/** Whether the map's numbers are the ones of this GitHub (owner and API base). */
export function adoptionApplies(github: GitHubAdoption, owner: string, baseUrl: string | undefined): boolean {
  const norm = (u: string | undefined) => (u ?? "").replace(/\/+$/, "");
  return github.owner.toLowerCase() === owner.toLowerCase() && norm(github.baseUrl) === norm(baseUrl);
}
