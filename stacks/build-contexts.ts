// Build contexts are read at synth, on the machine that synthesizes: each gets a content hash, so a changed file
// rebuilds its image (the hash is the image's trigger). Synth needs neither Docker nor a checkout: a context that is
// not there is reported, and the stacks that build from it refuse to plan until it is.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import ignore from "@balena/dockerignore";
import type { Problem, ResolvedSystem } from "../constructs/model";

/** One image build of the target, and what synth found of its context. */
export interface BuildContext {
  /** The stack that builds it: `<project>-services`. */
  stack: string;
  project: string;
  service: string;
  dir: string;
  dockerfile: string;
  /** The config key that moves the checkout. */
  sourceKey: string;
  /** sha256 of what Docker would be sent; undefined when the context (or its Dockerfile) is absent. */
  sha256?: string;
}

/** Every build of a target that runs production images (local stand-ins build nothing), hashed. */
export function inspectBuildContexts(system: ResolvedSystem): BuildContext[] {
  if (system.target.images !== "production") return [];
  const hashes = new Map<string, string | undefined>();
  return system.hosts.flatMap((host) =>
    host.projects.flatMap((placed) =>
      Object.values(placed.services).flatMap((s) => {
        if (!s.build) return [];
        const { contextDir: dir, dockerfile, sourceKey } = s.build;
        const key = `${dir}\0${dockerfile}`;
        if (!hashes.has(key)) hashes.set(key, contextSha256(dir, dockerfile));
        return [
          {
            stack: `${placed.project.id}-services`,
            project: placed.project.id,
            service: s.name,
            dir,
            dockerfile,
            sourceKey,
            sha256: hashes.get(key),
          },
        ];
      }),
    ),
  );
}

/** What synth says about the contexts it could not read: one warning per checkout, naming its path and config key. */
export function absentContextWarnings(contexts: readonly BuildContext[]): Problem[] {
  const absent = new Map<string, BuildContext[]>();
  for (const c of contexts.filter((c) => c.sha256 === undefined)) absent.set(c.dir, [...(absent.get(c.dir) ?? []), c]);
  return [...absent.entries()].map(([dir, cs]) => ({
    path: cs[0].sourceKey,
    message:
      `build context ${dir} is absent (${cs.map((c) => `${c.project}/${c.service}`).join(", ")}); ` +
      `${cs[0].stack} cannot be planned until it is checked out there or ${cs[0].sourceKey} points to a checkout`,
  }));
}

/** Files of a context as Docker sends them: relative paths with "/" separators, minus what .dockerignore excludes. */
export function contextFiles(dir: string, dockerfile: string): string[] {
  const rules = fs.existsSync(path.join(dir, ".dockerignore")) ? fs.readFileSync(path.join(dir, ".dockerignore"), "utf8") : "";
  // Docker always sends the Dockerfile and .dockerignore, whatever the rules say (TrimBuildFilesFromExcludes).
  const sent = new Set([".dockerignore", path.posix.normalize(dockerfile.split(path.sep).join("/"))]);
  const ig = ignore().add(rules.split(/\r?\n/));
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (sent.has(child) || !ig.ignores(child)) files.push(child);
    }
  };
  walk("");
  return files.sort();
}

/** sha256 over each sent file's path, permission bits and content (a symlink: its target); undefined when absent. */
export function contextSha256(dir: string, dockerfile: string): string | undefined {
  if (!fs.existsSync(path.join(dir, dockerfile)) || !fs.statSync(dir).isDirectory()) return undefined;
  const hash = createHash("sha256");
  for (const rel of contextFiles(dir, dockerfile)) {
    const file = path.join(dir, rel);
    const stat = fs.lstatSync(file);
    const content = stat.isSymbolicLink()
      ? `-> ${fs.readlinkSync(file)}`
      : createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    hash.update(`${rel}\0${(stat.mode & 0o777).toString(8)}\0${content}\n`);
  }
  return hash.digest("hex");
}
