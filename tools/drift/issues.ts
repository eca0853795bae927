// One GitHub issue per drifted stack, found by a hidden marker; updated in place while drift persists and closed
// when the stack is clean again. `planIssueActions` is pure (unit-tested); `syncIssues` runs it with an Octokit
// (actions/github-script passes `github` and `context`).
import { createMasker, Masker } from "../engine/mask";
import type { DriftReport, StackReport } from "./analyze";
import { renderStack } from "./render";

export const markerFor = (stack: string) => `<!-- sparky-infra:drift:${stack} -->`;
const MARKER = /<!-- sparky-infra:drift:([A-Za-z0-9._-]+) -->/;

export interface ExistingIssue {
  number: number;
  state: "open" | "closed";
  body?: string | null;
}

export type IssueAction =
  | { kind: "create"; stack: string; title: string; body: string }
  | { kind: "update"; stack: string; number: number; title: string; body: string; reopen: boolean }
  | { kind: "close"; stack: string; number: number; comment: string };

export function issueTitle(s: StackReport): string {
  const parts = [
    s.drift.length > 0 ? `${s.drift.length} out-of-band change${s.drift.length === 1 ? "" : "s"}` : "",
    s.unapplied.length > 0 ? `${s.unapplied.length} unapplied` : "",
  ].filter(Boolean);
  return `Drift in ${s.stack}: ${parts.join(", ")}`;
}

/** The issue text, masked (again: the report was masked when written, and issue bodies are public). */
export function issueBody(s: StackReport, runUrl?: string, masker: Masker = createMasker()): string {
  const body = [
    markerFor(s.stack),
    renderStack(s, "##"),
    runUrl ? `Found by ${runUrl}.` : "",
    "To repair, a maintainer dispatches the drift workflow with `reconcile: restore` (apply the code) or `accept` (record reality in state), or changes the code.",
    "This issue is updated by every drift run and closed when the stack is clean again.",
  ].join("\n\n");
  return masker.text(body);
}

/**
 * What to do, from a report and the issues that carry a drift marker: create for newly drifted stacks, update
 * (and reopen a closed one rather than opening a second) while drift persists, close when the stack is clean.
 * Stacks that errored or are not deployed keep their issue as is: an error says nothing about drift.
 */
export function planIssueActions(
  report: DriftReport,
  existing: readonly ExistingIssue[],
  runUrl?: string,
  masker: Masker = createMasker(),
): IssueAction[] {
  const byStack = new Map<string, ExistingIssue>();
  for (const issue of [...existing].sort((a, b) => (a.state === b.state ? b.number - a.number : a.state === "open" ? -1 : 1))) {
    const stack = MARKER.exec(issue.body ?? "")?.[1];
    if (stack && !byStack.has(stack)) byStack.set(stack, issue);
  }
  const actions: IssueAction[] = [];
  for (const s of report.stacks) {
    const issue = byStack.get(s.stack);
    if (s.status === "drift") {
      const title = issueTitle(s);
      const body = issueBody(s, runUrl, masker);
      if (!issue) actions.push({ kind: "create", stack: s.stack, title, body });
      else if (issue.state === "closed" || issue.body !== body)
        actions.push({ kind: "update", stack: s.stack, number: issue.number, title, body, reopen: issue.state === "closed" });
    } else if (s.status === "clean" && issue?.state === "open") {
      actions.push({
        kind: "close",
        stack: s.stack,
        number: issue.number,
        comment: `\`${s.stack}\` is clean again${runUrl ? ` (${runUrl})` : ""}; closing.`,
      });
    }
  }
  return actions;
}

/** The subset of Octokit that syncIssues uses. */
export interface IssuesApi {
  paginate<T>(route: unknown, params: Record<string, unknown>): Promise<T[]>;
  rest: {
    issues: {
      listForRepo: unknown;
      create(p: Record<string, unknown>): Promise<unknown>;
      update(p: Record<string, unknown>): Promise<unknown>;
      createComment(p: Record<string, unknown>): Promise<unknown>;
    };
  };
}

export const DRIFT_LABEL = "drift";

export async function syncIssues(
  github: IssuesApi,
  repo: { owner: string; repo: string },
  report: DriftReport,
  runUrl?: string,
): Promise<IssueAction[]> {
  const listed = await github.paginate<{ number: number; state: string; body?: string | null; pull_request?: unknown }>(
    github.rest.issues.listForRepo,
    {
      ...repo,
      state: "all",
      labels: DRIFT_LABEL,
      per_page: 100,
    },
  );
  const existing = listed
    .filter((i) => !i.pull_request && MARKER.test(i.body ?? ""))
    .map((i) => ({ number: i.number, state: i.state as "open" | "closed", body: i.body }));
  // The workflow's environment holds the secrets (job env): their values are masked wherever they appear.
  const actions = planIssueActions(report, existing, runUrl, createMasker({ env: process.env }));
  for (const a of actions) {
    if (a.kind === "create") await github.rest.issues.create({ ...repo, title: a.title, body: a.body, labels: [DRIFT_LABEL] });
    else if (a.kind === "update")
      await github.rest.issues.update({
        ...repo,
        issue_number: a.number,
        title: a.title,
        body: a.body,
        ...(a.reopen ? { state: "open" } : {}),
      });
    else {
      await github.rest.issues.createComment({ ...repo, issue_number: a.number, body: a.comment });
      await github.rest.issues.update({ ...repo, issue_number: a.number, state: "closed", state_reason: "completed" });
    }
  }
  return actions;
}
