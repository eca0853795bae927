// The GitHub adopter: reads what exists for a project (repository, labels, milestones, issues, the generated
// paths, the ruleset and variables) and proposes the adoption map's `github` section.
import { ISSUE_NUMBERS_VARIABLE } from "../../constructs/github";
import { GENERATED_MARKER } from "../../constructs/orchestration/docs";
import type { GitHubAdoption } from "../../constructs/model";
import { InputError } from "../engine/args";
import { ghAuthToken } from "../engine/secrets";
import type { Adopter } from "./adopter";
import { gitHubApi, type GitHubApi } from "./github-api";
import { FoundGitHub, matchGitHub } from "./github-match";
import { githubModelView } from "./github-model";

interface ApiLabel {
  name: string;
}
interface ApiNumbered {
  number: number;
  title: string;
  state: "open" | "closed";
  labels?: (ApiLabel | string)[];
  pull_request?: unknown;
}

/** SPARKY_INFRA_ISSUE_NUMBERS as written by the stack: issue key → number ({} when absent or unreadable). */
function parseNumbers(value: string | undefined): Record<string, number> {
  try {
    const parsed = JSON.parse(value ?? "{}") as unknown;
    return parsed && typeof parsed === "object" ? (parsed as Record<string, number>) : {};
  } catch {
    return {};
  }
}

async function readGitHub(
  api: GitHubApi,
  owner: string,
  baseUrl: string | undefined,
  view: ReturnType<typeof githubModelView>,
  step: (what: string) => void,
) {
  const repo = view.project.repository;
  const base = `repos/${owner}/${repo.name}`;
  step("repository");
  const repository = await api.get<{ name: string; id: number; archived: boolean; default_branch: string }>(base);
  if (!repository) return undefined;
  step("labels");
  const labels = (await api.list<ApiLabel>(`${base}/labels`)).map((l) => l.name);
  step("milestones");
  const milestones = (await api.list<ApiNumbered>(`${base}/milestones?state=all`)).map((m) => ({
    number: m.number,
    title: m.title,
    state: m.state,
  }));
  step("issues");
  const issues = (await api.list<ApiNumbered>(`${base}/issues?state=all&direction=asc`))
    .filter((i) => !i.pull_request)
    .map((i) => ({
      number: i.number,
      title: i.title,
      state: i.state,
      labels: (i.labels ?? []).map((l) => (typeof l === "string" ? l : l.name)),
    }));
  const files: FoundGitHub["files"] = {};
  let read = 0;
  for (const path of view.files) {
    step(`files ${++read}/${view.files.length}`);
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    const file = await api.get<{ type: string; sha: string; content?: string }>(
      `${base}/contents/${encoded}?ref=${encodeURIComponent(repo.defaultBranch)}`,
    );
    if (!file || file.type !== "file") continue;
    const text = Buffer.from(file.content ?? "", "base64").toString("utf8");
    files[path] = { sha: file.sha, generated: text.includes(GENERATED_MARKER) };
  }
  step("ruleset and variables");
  const rulesets = (await api.list<{ id: number; name: string }>(`${base}/rulesets`)).map((r) => ({ id: r.id, name: r.name }));
  const variables = ((await api.get<{ variables: { name: string }[] }>(`${base}/actions/variables?per_page=100`))?.variables ?? []).map(
    (v) => v.name,
  );
  const found: FoundGitHub = {
    managedIssues: parseNumbers((await api.get<{ value: string }>(`${base}/actions/variables/${ISSUE_NUMBERS_VARIABLE}`))?.value),
    owner,
    baseUrl,
    repository: { name: repository.name, id: repository.id, archived: repository.archived },
    labels,
    milestones,
    issues,
    files,
    rulesets,
    variables,
  };
  return found;
}

export const githubAdopter: Adopter<GitHubAdoption> = {
  section: "github",
  async adopt(context, previous, step) {
    const { owner, baseUrl } = context.system.config.github;
    const token = context.env.GITHUB_TOKEN || ghAuthToken(context.env);
    if (!token) throw new InputError("GITHUB_TOKEN is not set and 'gh auth token' gave none: adoption reads GitHub");
    const api = gitHubApi({ baseUrl, token });
    const view = githubModelView(context.project, context.placements);
    const found = await readGitHub(api, owner, baseUrl, view, step);
    if (!found)
      return {
        section: undefined,
        notes: [`${owner}/${context.project.repository.name} does not exist: nothing to adopt (a deploy creates it)`],
      };
    const match = matchGitHub(view, found, previous);
    if (found.repository.archived) match.notes.unshift(`${owner}/${found.repository.name} is archived: a deploy cannot change it`);
    return match;
  },
};
