// A tiny in-memory git object model: real blob/tree/commit SHA-1s, so that `sha` values the
// emulator hands out are the ones git itself would compute for the same content.
import { createHash } from "node:crypto";

export interface Signature {
  name: string;
  email: string;
  date: string; // ISO-8601, second precision, "Z"
}

export interface Commit {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
  /** Full snapshot: path -> file content. Small repos only, so snapshots are cheap enough. */
  files: Map<string, Buffer>;
  /** Paths whose content differs from the first parent's (added, modified or removed). */
  changed: string[];
}

function sha1(data: Buffer | string): string {
  return createHash("sha1").update(data).digest("hex");
}

export function blobSha(content: Buffer): string {
  return sha1(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]));
}

interface TreeNode {
  files: Map<string, string>; // name -> blob sha
  dirs: Map<string, TreeNode>;
}

function treeObjectSha(node: TreeNode): string {
  const entries: { name: string; sortKey: string; mode: string; sha: string }[] = [];
  for (const [name, sha] of node.files) entries.push({ name, sortKey: name, mode: "100644", sha });
  for (const [name, child] of node.dirs) entries.push({ name, sortKey: `${name}/`, mode: "40000", sha: treeObjectSha(child) });
  entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  const body = Buffer.concat(entries.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, "hex")])));
  return sha1(Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]));
}

export function treeSha(files: Map<string, Buffer>): string {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const [path, content] of files) {
    const parts = path.split("/");
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      let next = node.dirs.get(dir);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        node.dirs.set(dir, next);
      }
      node = next;
    }
    node.files.set(parts[parts.length - 1], blobSha(content));
  }
  return treeObjectSha(root);
}

function sigLine(kind: string, s: Signature): string {
  return `${kind} ${s.name} <${s.email}> ${Math.floor(Date.parse(s.date) / 1000)} +0000`;
}

export function makeCommit(opts: {
  files: Map<string, Buffer>;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
  parentFiles?: Map<string, Buffer>;
}): Commit {
  const tsha = treeSha(opts.files);
  const lines = [
    `tree ${tsha}`,
    ...opts.parents.map((p) => `parent ${p}`),
    sigLine("author", opts.author),
    sigLine("committer", opts.committer),
    "",
    opts.message,
  ];
  const text = Buffer.from(lines.join("\n") + "\n");
  const sha = sha1(Buffer.concat([Buffer.from(`commit ${text.length}\0`), text]));
  const before = opts.parentFiles ?? new Map<string, Buffer>();
  const changed: string[] = [];
  for (const [p, c] of opts.files) if (!before.has(p) || !before.get(p)!.equals(c)) changed.push(p);
  for (const p of before.keys()) if (!opts.files.has(p)) changed.push(p);
  return {
    sha,
    treeSha: tsha,
    parents: opts.parents,
    message: opts.message,
    author: opts.author,
    committer: opts.committer,
    files: opts.files,
    changed,
  };
}

/** Git-style glob for ruleset ref conditions: `*` stays within a path segment, `**` crosses them. */
export function refGlobMatch(pattern: string, ref: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(ref);
}
