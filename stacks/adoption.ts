// Reads the committed adoption maps (adoption/<project>.json, written by `just adopt`): validated against the
// model (every problem at once, with its path), and used only where their numbers belong to the configured GitHub.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  Adoption,
  adoptionApplies,
  AdoptionSchema,
  checkAdoption,
  GitHubAdoption,
  ModelValidationError,
  Problem,
  ResolvedSystem,
  shapeProblems,
} from "../constructs/model";

/** Where the maps live: $SPARKY_ADOPTION_DIR, else adoption/ at the project root. */
export function adoptionDir(env: NodeJS.ProcessEnv, projectRoot: string): string {
  return path.resolve(projectRoot, env.SPARKY_ADOPTION_DIR ?? "adoption");
}

export const adoptionFile = (dir: string, project: string) => path.join(dir, `${project}.json`);

/** A project's map, parsed and checked; undefined when there is none. Throws ModelValidationError. */
export function readAdoption(file: string, system: Pick<ResolvedSystem, "projects">, projectId: string): Adoption | undefined {
  if (!fs.existsSync(file)) return undefined;
  const at = path.relative(process.cwd(), file) || file;
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new ModelValidationError([{ path: at, message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const parsed = AdoptionSchema.safeParse(input);
  if (!parsed.success) throw new ModelValidationError(shapeProblems(at, parsed.error, input));
  const project = system.projects.find((p) => p.id === projectId)!;
  const problems = checkAdoption(parsed.data, project, at);
  if (problems.length > 0) throw new ModelValidationError(problems);
  return parsed.data;
}

/**
 * The GitHub section of every project's map that applies to the configured owner and API base; a map for another
 * GitHub is ignored with a warning (appended to `warnings`).
 */
export function githubAdoptions(system: ResolvedSystem, dir: string, warnings: Problem[]): Record<string, GitHubAdoption> {
  const out: Record<string, GitHubAdoption> = {};
  const problems: Problem[] = [];
  for (const project of system.projects) {
    const file = adoptionFile(dir, project.id);
    let adoption: Adoption | undefined;
    try {
      adoption = readAdoption(file, system, project.id);
    } catch (e) {
      if (!(e instanceof ModelValidationError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    const github = adoption?.github;
    if (!github) continue;
    const { owner, baseUrl } = system.config.github;
    if (adoptionApplies(github, owner, baseUrl)) {
      out[project.id] = github;
      warnings.push(...pendingProposals(github, path.relative(process.cwd(), file) || file));
    } else
      warnings.push({
        path: path.relative(process.cwd(), file) || file,
        message: `its numbers belong to ${github.owner}${github.baseUrl ? ` at ${github.baseUrl}` : ""}, not ${owner}${baseUrl ? ` at ${baseUrl}` : ""}; not used`,
      });
  }
  if (problems.length > 0) throw new ModelValidationError(problems);
  return out;
}

/** Each proposed match nobody confirmed: until someone does, that object is neither imported nor created. */
function pendingProposals(github: GitHubAdoption, at: string): Problem[] {
  const sections = [
    ["milestones", github.milestones],
    ["workstreams", github.workstreams],
    ["gates", github.gates],
    ["tracking", github.tracking ? { issue: github.tracking } : {}],
  ] as const;
  return sections.flatMap(([name, entries]) =>
    Object.entries(entries)
      .filter(([, e]) => !e.confirmed)
      .map(([id, e]) => ({
        path: `${at}: github.${name}${name === "tracking" ? "" : `.${id}`}`,
        message: `#${e.number} "${e.title}" is proposed, not confirmed: it is neither imported nor created until "confirmed" is true (or the entry is removed)`,
      })),
  );
}
