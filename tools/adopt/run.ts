// `adopt`: for each selected project, every adopter reads what exists and proposes its section of the project's
// adoption map; the maps are written only once every project was read (nothing partial on a failure), and a map
// that would not change is left untouched.
import * as fs from "node:fs";
import * as path from "node:path";
import { type Adoption, projectPlacements } from "../../constructs/model";
import { adoptionDir, adoptionFile, readAdoption } from "../../stacks/adoption";
import { loadModel } from "../../stacks/load-model";
import { InputError } from "../engine/args";
import { ProgressStream, ProgressView } from "../engine/progress";
import type { Adopter } from "./adopter";
import { githubAdopter } from "./github";

export const ADOPTION_COMMENT =
  'Written by `just adopt <project>`. Confirm each proposed match by setting "confirmed": true (or correct its number, or remove it); only confirmed matches are imported. Re-running keeps what you confirmed.';

export interface AdoptOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** Project ids; every project when empty. */
  projects: readonly string[];
  /** Where the maps live (default: $SPARKY_ADOPTION_DIR, else adoption/). */
  dir?: string;
  stderr: ProgressStream;
  adopters?: readonly Adopter<never>[];
}

export interface AdoptResult {
  project: string;
  file: string;
  /** "written", "unchanged", or "nothing to adopt". */
  outcome: "written" | "unchanged" | "nothing to adopt";
  notes: string[];
}

const ADOPTERS: readonly Adopter<never>[] = [githubAdopter as Adopter<never>];

export async function adopt(options: AdoptOptions): Promise<AdoptResult[]> {
  const system = loadModel(options.env, options.projectRoot);
  const known = system.projects.map((p) => p.id);
  const unknown = options.projects.filter((p) => !known.includes(p));
  if (unknown.length > 0)
    throw new InputError(`unknown project${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")}; the projects are: ${known.join(", ")}`);
  const projects = system.projects.filter((p) => options.projects.length === 0 || options.projects.includes(p.id));
  const dir = options.dir ?? adoptionDir(options.env, options.projectRoot);
  const view = new ProgressView(
    projects.map((p) => p.id),
    "adopt",
    options.stderr,
  );
  const pending: { result: AdoptResult; text?: string }[] = [];
  try {
    for (const project of projects) {
      const file = adoptionFile(dir, project.id);
      const previous = readAdoption(file, system, project.id);
      const map: Adoption = { $comment: ADOPTION_COMMENT, project: project.id };
      const notes: string[] = [];
      const context = { system, project, placements: projectPlacements(system.config, system.projects, project), env: options.env };
      for (const adopter of options.adopters ?? ADOPTERS) {
        view.set(project.id, "checking", adopter.section);
        const found = await adopter.adopt(context, previous?.[adopter.section] as never, (what) =>
          view.set(project.id, "checking", `${adopter.section}: ${what}`),
        );
        notes.push(...found.notes);
        if (found.section !== undefined) (map as Record<string, unknown>)[adopter.section] = found.section;
      }
      const hasSections = Object.keys(map).some((k) => k !== "$comment" && k !== "project");
      const text = `${JSON.stringify(map, null, 2)}\n`;
      const outcome = !hasSections
        ? "nothing to adopt"
        : fs.existsSync(file) && fs.readFileSync(file, "utf8") === text
          ? "unchanged"
          : "written";
      view.set(project.id, "done", outcome);
      pending.push({ result: { project: project.id, file, outcome, notes }, text: outcome === "written" ? text : undefined });
    }
  } catch (error) {
    for (const p of projects) view.set(p.id, pending.some((d) => d.result.project === p.id) ? "skipped" : "failed", "nothing written");
    throw error;
  } finally {
    view.finish();
  }
  for (const { result, text } of pending)
    if (text !== undefined) {
      fs.mkdirSync(path.dirname(result.file), { recursive: true });
      fs.writeFileSync(result.file, text);
    }
  return pending.map((p) => p.result);
}
