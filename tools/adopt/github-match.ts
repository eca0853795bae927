// Proposes which existing GitHub objects are the model's: labels by name (certain, so confirmed), milestones and
// issues by title prefix, issue key, workstream label or name (proposals a person confirms). Each GitHub object is
// matched at most once; what matches nothing is listed, never duplicated. Entries of an earlier map are kept as
// the person left them (re-running changes nothing unless GitHub did).
import type { AdoptedIssue, GitHubAdoption } from "../../constructs/model";
import { ISSUE_KEYS, ISSUE_NUMBERS_VARIABLE } from "../../constructs/github";
import type { GitHubModelView, ModelIssue } from "./github-model";

export interface FoundIssue {
  number: number;
  title: string;
  state: "open" | "closed";
  labels: string[];
}

export interface FoundGitHub {
  owner: string;
  baseUrl?: string;
  repository: { name: string; id: number; archived: boolean };
  labels: string[];
  milestones: Omit<FoundIssue, "labels">[];
  issues: FoundIssue[];
  /** Generated paths that hold a file: its blob sha and whether it carries the generated marker. */
  files: Record<string, { sha: string; generated: boolean }>;
  rulesets: { id: number; name: string }[];
  variables: string[];
  /** The issues sparky-infra already manages (its SPARKY_INFRA_ISSUE_NUMBERS variable), by issue key. */
  managedIssues: Record<string, number>;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
const startsWithKey = (title: string, key: string) => new RegExp(`^\\s*\\[?${key.replace(/[-]/g, "[- ]?")}\\b`, "i").test(title);
const containsName = (title: string, name: string) => norm(name).split(" ").length >= 2 && ` ${norm(title)} `.includes(` ${norm(name)} `);

/** A matching rule: a rank (lower is better) and why it matched, or undefined. */
type Rule<M, F> = (model: M, found: F) => string | undefined;

/** Best-rank-first greedy matching; ties go to the lowest number. Returns model id → [found, why]. */
function assign<M extends { id: string }, F extends { number: number }>(
  models: readonly M[],
  found: readonly F[],
  rules: Rule<M, F>[],
  taken: Set<number>,
) {
  const out = new Map<string, { found: F; why: string }>();
  const pool = [...found].sort((a, b) => a.number - b.number);
  for (const rule of rules)
    for (const m of models) {
      if (out.has(m.id)) continue;
      for (const f of pool) {
        if (taken.has(f.number)) continue;
        const why = rule(m, f);
        if (!why) continue;
        out.set(m.id, { found: f, why });
        taken.add(f.number);
        break;
      }
    }
  return out;
}

const workstreamNumber = (id: string) => String(Number(id.slice(3)));

const workstreamRules: Rule<GitHubModelView["workstreams"][number], FoundIssue>[] = [
  (w, f) =>
    w.issueKeys[0] && startsWithKey(f.title, w.issueKeys[0]) ? `title starts with ${w.issueKeys[0]}, its first issue key` : undefined,
  (w, f) => (startsWithKey(f.title, w.id) ? `title starts with ${w.id}` : undefined),
  (w, f) => {
    const n = workstreamNumber(w.id);
    const label = f.labels.find((l) => [`workstream-${n}`, `ws-${n}`, `ws${n}`, w.id.toLowerCase()].includes(l.toLowerCase()));
    return label ? `labelled ${label}` : undefined;
  },
  (w, f) => (containsName(f.title, w.name) ? `title names "${w.name}"` : undefined),
];

const issueRules: Rule<ModelIssue, FoundIssue>[] = [
  (m, f) => (norm(f.title) === norm(m.title) ? "same title" : undefined),
  (m, f) => (containsName(f.title, m.name) ? `title names "${m.name}"` : undefined),
];

const milestoneRules: Rule<GitHubModelView["milestones"][number], Omit<FoundIssue, "labels">>[] = [
  // The model's own title (a milestone sparky-infra made): as certain as a label's name, so confirmed.
  (m, f) => (f.title === m.title ? "same title" : undefined),
  (m, f) => (startsWithKey(f.title, m.id) ? `title starts with ${m.id}` : undefined),
  (m, f) => (containsName(f.title, m.name) ? `title names "${m.name}"` : undefined),
];

const entry = (f: Omit<FoundIssue, "labels">, why: string): AdoptedIssue => ({
  number: f.number,
  title: f.title,
  state: f.state,
  confirmed: false,
  why,
});

/** An earlier entry as the person left it, with what GitHub says about it now. */
function kept(previous: AdoptedIssue, found: readonly Omit<FoundIssue, "labels">[]): AdoptedIssue {
  const now = found.find((f) => f.number === previous.number);
  return now ? { ...previous, title: now.title, state: now.state } : previous;
}

export interface GitHubMatch {
  section: GitHubAdoption;
  /** What a person should look at: proposals to confirm, status mismatches, files left alone. */
  notes: string[];
}

export function matchGitHub(view: GitHubModelView, found: FoundGitHub, previous?: GitHubAdoption): GitHubMatch {
  const notes: string[] = [];
  const repo = view.project.repository;
  const issues = found.issues;

  // Labels: the same name is the same label (GitHub compares names case-insensitively).
  const labels: GitHubAdoption["labels"] = {};
  for (const name of view.labels) {
    const existing = found.labels.find((l) => l.toLowerCase() === name.toLowerCase());
    if (existing) labels[name] = previous?.labels[name] ?? { name: existing, confirmed: true, why: "same name" };
  }
  const labelled = new Set(Object.values(labels).map((l) => l.name.toLowerCase()));

  // Milestones.
  const takenMilestones = new Set(Object.values(previous?.milestones ?? {}).map((m) => m.number));
  const milestones: GitHubAdoption["milestones"] = {};
  const proposedMilestones = assign(
    view.milestones.filter((m) => !previous?.milestones[m.id]),
    found.milestones,
    milestoneRules,
    takenMilestones,
  );
  for (const m of view.milestones) {
    const before = previous?.milestones[m.id];
    const proposal = proposedMilestones.get(m.id);
    if (before) milestones[m.id] = kept(before, found.milestones);
    else if (proposal) milestones[m.id] = { ...entry(proposal.found, proposal.why), confirmed: proposal.found.title === m.title };
  }

  // Issues: earlier entries first, then workstreams, gates and the tracking issue.
  const earlier = [
    ...Object.values(previous?.workstreams ?? {}),
    ...Object.values(previous?.gates ?? {}),
    ...(previous?.tracking ? [previous.tracking] : []),
  ];
  const taken = new Set(earlier.map((i) => i.number));
  // Issues sparky-infra created and manages (its numbers variable) are its own: confirmed, never proposed elsewhere.
  const managed = (key: string, already: AdoptedIssue | undefined): AdoptedIssue | undefined => {
    const issue = issues.find((i) => i.number === found.managedIssues[key]);
    if (already || !issue || taken.has(issue.number)) return undefined;
    taken.add(issue.number);
    return { ...entry(issue, `sparky-infra manages it (${ISSUE_NUMBERS_VARIABLE})`), confirmed: true };
  };
  const own = new Map<string, AdoptedIssue | undefined>([
    ...view.workstreams.map((w) => [`ws:${w.id}`, managed(ISSUE_KEYS.workstream(w.id), previous?.workstreams[w.id])] as const),
    ...view.gates.map((g) => [`gate:${g.id}`, managed(ISSUE_KEYS.gate(g.id), previous?.gates[g.id])] as const),
    ["tracking", managed(ISSUE_KEYS.tracking, previous?.tracking)],
  ]);
  const newWorkstreams = assign(
    view.workstreams.filter((w) => !previous?.workstreams[w.id] && !own.get(`ws:${w.id}`)),
    issues,
    workstreamRules,
    taken,
  );
  const newGates = assign(
    view.gates.filter((g) => !previous?.gates[g.id] && !own.get(`gate:${g.id}`)),
    issues,
    issueRules,
    taken,
  );
  const trackingModel = [{ id: "tracking", name: view.trackingTitle, title: view.trackingTitle, done: false }];
  const newTracking =
    previous?.tracking || own.get("tracking")
      ? undefined
      : assign(
          trackingModel,
          issues,
          [...issueRules.slice(0, 1), (_m, f) => (f.labels.includes("type:tracking") ? "labelled type:tracking" : undefined)],
          taken,
        ).get("tracking");
  /** An earlier entry as the person left it, else sparky-infra's own issue, else a proposal. */
  const decide = (
    before: AdoptedIssue | undefined,
    mine: AdoptedIssue | undefined,
    proposal: { found: FoundIssue; why: string } | undefined,
  ) => (before ? kept(before, issues) : (mine ?? (proposal ? entry(proposal.found, proposal.why) : undefined)));

  const workstreams: GitHubAdoption["workstreams"] = {};
  for (const w of view.workstreams) {
    const e = decide(previous?.workstreams[w.id], own.get(`ws:${w.id}`), newWorkstreams.get(w.id));
    if (!e) continue;
    workstreams[w.id] = e;
    if (w.done && e.state === "open")
      notes.push(`${w.id} is done, but its issue #${e.number} is open: close it by hand (sparky-infra only closes issues it manages)`);
    if (!w.done && e.state === "closed")
      notes.push(
        `${w.id} is ${w.status}, but its issue #${e.number} is closed: the provider cannot reopen it; reopen it by hand or mark the workstream done`,
      );
  }
  const gates: GitHubAdoption["gates"] = {};
  for (const g of view.gates) {
    const e = decide(previous?.gates[g.id], own.get(`gate:${g.id}`), newGates.get(g.id));
    if (e) gates[g.id] = e;
  }
  const tracking = decide(previous?.tracking, own.get("tracking"), newTracking);

  // Issues that belong to no model issue; another issue key of a workstream says which one it is about.
  const matched = new Set([...Object.values(workstreams), ...Object.values(gates), ...(tracking ? [tracking] : [])].map((i) => i.number));
  const unmatchedIssues = issues
    .filter((i) => !matched.has(i.number))
    .map((i) => {
      const related = view.workstreams.find((w) => w.issueKeys.slice(1).some((k) => startsWithKey(i.title, k)));
      return {
        number: i.number,
        title: i.title,
        state: i.state,
        ...(related ? { note: `another issue of ${related.id}; left to people` } : {}),
      };
    });

  const files: GitHubAdoption["files"] = {};
  for (const path of view.files) {
    const f = found.files[path];
    if (!f) continue;
    files[path] = { writer: f.generated ? "sparky-infra" : "person", sha: f.sha };
    if (!f.generated && !repo.takeOver.includes(path))
      notes.push(`${path} is a person's file: left alone (a conflict in previews); list it in repository.takeOver to replace it`);
  }

  const pending = [
    ...Object.entries(milestones),
    ...Object.entries(workstreams),
    ...Object.entries(gates),
    ...(tracking ? [["tracking", tracking] as const] : []),
  ]
    .filter(([, e]) => !e.confirmed)
    .map(([id, e]) => `${id} → #${e.number} "${e.title}" (${e.why})`);
  if (pending.length > 0)
    notes.unshift(
      `${pending.length} proposed match(es) to confirm (set "confirmed": true, or remove the entry):`,
      ...pending.map((p) => `  ${p}`),
    );

  const ruleset = found.rulesets.find((r) => r.name === view.rulesetName);
  return {
    notes,
    section: {
      owner: found.owner,
      ...(found.baseUrl ? { baseUrl: found.baseUrl } : {}),
      repository: { name: found.repository.name, id: found.repository.id },
      ...(ruleset ? { ruleset: { name: ruleset.name, id: ruleset.id } } : {}),
      variables: view.variables.filter((v) => found.variables.includes(v)),
      labels,
      milestones,
      workstreams,
      gates,
      ...(tracking ? { tracking } : {}),
      files,
      unmatched: {
        labels: found.labels.filter((l) => !labelled.has(l.toLowerCase())).sort(),
        milestones: found.milestones
          .filter((m) => !Object.values(milestones).some((e) => e.number === m.number))
          .map((m) => ({ number: m.number, title: m.title, state: m.state })),
        issues: unmatchedIssues,
      },
    },
  };
}
