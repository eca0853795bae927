// Git operations on an emulated repository: resolving refs, committing to a branch and the rulesets that forbid a push.
import { type Commit, makeCommit, refGlobMatch, type Signature } from "../git";
import { type EmulatorState, now, type Repo } from "../state";

function author(state: EmulatorState, given: any): Signature {
  const date = now();
  if (given && typeof given === "object" && given.name && given.email)
    return { name: String(given.name), email: String(given.email), date: given.date ?? date };
  return { name: state.user.name, email: state.user.email, date };
}

export function resolveRef(repo: Repo, ref: string | null | undefined): { sha: string; name: string } | undefined {
  const r = ref || repo.default_branch;
  const name = r.replace(/^refs\/heads\//, "");
  const byBranch = repo.branches.get(name);
  if (byBranch) return { sha: byBranch, name };
  if (/^[0-9a-f]{7,40}$/.test(r)) {
    for (const sha of repo.commits.keys()) if (sha.startsWith(r)) return { sha, name: r };
  }
  return undefined;
}

export function commitOnBranch(
  state: EmulatorState,
  repo: Repo,
  branch: string,
  files: Map<string, Buffer>,
  message: string,
  b: Record<string, any>,
): Commit {
  const parentSha = repo.branches.get(branch);
  const parent = parentSha ? repo.commits.get(parentSha) : undefined;
  const a = author(state, b.author ?? b.committer);
  const c = author(state, b.committer ?? b.author);
  const commit = makeCommit({ files, parents: parentSha ? [parentSha] : [], message, author: a, committer: c, parentFiles: parent?.files });
  repo.commits.set(commit.sha, commit);
  repo.branches.set(branch, commit.sha);
  repo.pushed_at = now();
  return commit;
}

/** Active ruleset rules that forbid a direct push to `branch` by this token (no bypass actor). */
export function pushViolations(repo: Repo, branch: string): string[] {
  const ref = `refs/heads/${branch}`;
  const out: string[] = [];
  for (const rs of repo.rulesets) {
    if (rs.enforcement !== "active" || rs.target !== "branch") continue;
    if (
      (rs.bypass_actors as any[]).some(
        (a) =>
          a?.bypass_mode !== "pull_request" &&
          (a?.actor_type === "OrganizationAdmin" || (a?.actor_type === "RepositoryRole" && Number(a?.actor_id) === 5)),
      )
    )
      continue;
    const refName = ((rs.conditions as any)?.ref_name ?? {}) as { include?: string[]; exclude?: string[] };
    const matches = (p: string) =>
      p === "~ALL" || (p === "~DEFAULT_BRANCH" && branch === repo.default_branch) || refGlobMatch(p, ref) || refGlobMatch(p, branch);
    if (!(refName.include ?? []).some(matches) || (refName.exclude ?? []).some(matches)) continue;
    for (const rule of rs.rules) {
      if (rule.type === "pull_request") out.push("Changes must be made through a pull request.");
      if (rule.type === "required_status_checks") {
        const checks = ((rule.parameters?.required_status_checks as any[]) ?? []).map((c) => c.context);
        out.push(`${checks.length} of ${checks.length} required status checks are expected.`);
      }
    }
  }
  return out;
}
