// Renders plan-preview results as one GitHub comment: summary table, destroy/replace banner, the stacks' details
// (stack-details.ts), all masked and always within GitHub's comment limit.
import type { PlanJson } from "../engine/stacks";
import { createMasker, Masker } from "../engine/mask";
import { FileConflict } from "./conflicts";
import { fitLines, joinedLength, waterFill } from "./fit";

export { fitLines, waterFill } from "./fit";
import { renderStackDetails } from "./stack-details";
import { ChangeKind, Counts, describeReason, PlanSummary, summarizePlan } from "./summary";

export const MARKER = "<!-- sparky-infra:plan-preview -->";
/** GitHub rejects issue comments longer than this (characters). */
export const COMMENT_LIMIT = 65_536;
const BANNER_BUDGET = 24_000;

export interface StackOutcome {
  stack: string;
  /** Path shown to readers (relative to the output directory). */
  planFile?: string;
  planSha256?: string;
  json?: PlanJson;
  /** Why planning failed (engine stderr), when it did. */
  error?: string;
  /** Generated files left alone because a person's file holds the path. */
  conflicts?: FileConflict[];
}

export type StackStatus = "no-changes" | "changes" | "error";

export interface StackReport {
  stack: string;
  status: StackStatus;
  counts: Counts;
  planFile?: string;
  planSha256?: string;
  destroys: { address: string; reason: string }[];
  replaces: { address: string; reason: string }[];
  /** Issues the plan closes (integrations/github's delete of an issue): they stay, closed. */
  closes: { address: string; reason: string }[];
  /** Generated paths left alone (a person's file is there). */
  conflicts: string[];
  drift: string[];
  outputChanges: string[];
  error?: string;
}

export interface RenderOptions {
  masker?: Masker;
  /** Defaults to COMMENT_LIMIT; tests use smaller limits. */
  limit?: number;
  /** Shown under the title, e.g. the commit. */
  subtitle?: string;
  /** Where readers find the untrimmed rendering and the plan files. */
  artifactHint?: string;
  /** The last line, given the exit code (default: where the plans are and how to apply exactly them). */
  footer?: (exitCode: 0 | 1 | 2) => string;
}

export interface Rendered {
  /** The comment, within the limit. */
  markdown: string;
  /** Everything, untrimmed (written as plan-preview-full.md). */
  full: string;
  trimmed: boolean;
  /** Detail lines left out of `markdown`. */
  omittedLines: number;
  reports: StackReport[];
  exitCode: 0 | 1 | 2;
}

const STATUS_LABEL: Record<StackStatus, string> = { "no-changes": "✅ no changes", changes: "📝 changes", error: "❌ error" };

/** Status and counts of one stack; exit code per stack: error 1, changes 2, none 0. */
export function reportOf(outcome: StackOutcome, masker: Masker): { report: StackReport; summary?: PlanSummary } {
  const empty: Counts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, close: 0 };
  if (!outcome.json || outcome.error) {
    return {
      report: {
        stack: outcome.stack,
        status: "error",
        counts: empty,
        planFile: outcome.planFile,
        planSha256: outcome.planSha256,
        destroys: [],
        replaces: [],
        closes: [],
        conflicts: [],
        drift: [],
        outputChanges: [],
        error: masker.text(outcome.error ?? "no plan"),
      },
    };
  }
  const summary = summarizePlan(outcome.json);
  const pick = (kind: ChangeKind) =>
    summary.changes.filter((c) => c.kind === kind).map((c) => ({ address: c.address, reason: masker.text(describeReason(c)) }));
  return {
    summary,
    report: {
      stack: outcome.stack,
      status: summary.errored ? "error" : summary.hasChanges ? "changes" : "no-changes",
      counts: summary.counts,
      planFile: outcome.planFile,
      planSha256: outcome.planSha256,
      destroys: pick("delete"),
      replaces: pick("replace"),
      closes: pick("close"),
      conflicts: (outcome.conflicts ?? []).map((c) => c.path),
      drift: summary.drift,
      outputChanges: summary.outputChanges,
      error: summary.errored ? "the plan reports errored: true" : undefined,
    },
  };
}

export function exitCodeOf(reports: readonly StackReport[]): 0 | 1 | 2 {
  if (reports.some((r) => r.status === "error")) return 1;
  return reports.some((r) => r.status === "changes") ? 2 : 0;
}

export function renderComment(outcomes: readonly StackOutcome[], options: RenderOptions = {}): Rendered {
  const masker = options.masker ?? createMasker();
  const limit = options.limit ?? COMMENT_LIMIT;
  const artifactHint = options.artifactHint ?? "the `plan-preview` workflow artifact";
  const analysed = outcomes.map((o) => ({ outcome: o, ...reportOf(o, masker) }));
  const reports = analysed.map((a) => a.report);
  const exitCode = exitCodeOf(reports);

  const head = masker.text(renderHead(reports, options.subtitle)).split("\n");
  const visible = analysed.filter((a) => a.report.status !== "no-changes" || a.report.conflicts.length > 0);
  const sections = visible.map((a) => masker.text(renderStackDetails(a.report, a.summary, masker, a.outcome.conflicts)).split("\n"));
  const footer = [
    "",
    options.footer?.(exitCode) ??
      `<sub>Exit code: ${exitCode} (0 no changes, 2 changes, 1 error). Plans hold secrets and are never uploaded: on merge, main ` +
        "applies only this change set (`changeset.json`); locally, `just plan-preview apply --from <dir>` applies the saved plans.</sub>",
  ];

  const fullText = [...head, ...sections.flat(), ...footer].join("\n") + "\n";
  if (fullText.length <= limit) return { markdown: fullText, full: fullText, trimmed: false, omittedLines: 0, reports, exitCode };

  // Too long: keep head and footer, share what is left between the stacks' details, close what was open.
  const noteReserve = 700;
  const headText = fitLines(head, Math.max(0, limit - joinedLength(footer) - noteReserve - 200), "summary");
  let budget = limit - headText.text.length - joinedLength(footer) - noteReserve;
  const sizes = sections.map(joinedLength);
  const shares = waterFill(sizes, Math.max(0, budget));
  let omitted = headText.omitted;
  const incomplete: string[] = [];
  const parts: string[] = [];
  sections.forEach((lines, i) => {
    if (sizes[i] <= shares[i]) {
      parts.push(lines.join("\n"));
      return;
    }
    const fitted = fitLines(lines, shares[i], "stack");
    omitted += fitted.omitted;
    incomplete.push(visible[i].report.stack);
    if (fitted.text) parts.push(fitted.text);
  });
  const names = incomplete.map((s) => `\`${s}\``);
  const shown = names.join(", ").length > 300 ? `${names.slice(0, 8).join(", ")} and ${names.length - 8} more` : names.join(", ");
  const note = [
    "",
    "> [!NOTE]",
    `> ✂️ Trimmed to GitHub's ${limit.toLocaleString("en-US")}-character comment limit: ${omitted} detail line(s) left out` +
      (incomplete.length ? ` (incomplete: ${shown})` : "") +
      `. The summary and the destroy/replace warning above are complete; the untrimmed rendering is \`plan-preview-full.md\` in ${artifactHint}.`,
  ];
  let markdown = [headText.text, ...parts, ...note, ...footer].join("\n") + "\n";
  budget = limit;
  if (markdown.length > budget) markdown = fitLines(markdown.split("\n"), budget - 200, "comment").text + "\n";
  return { markdown, full: fullText, trimmed: true, omittedLines: omitted, reports, exitCode };
}

function renderHead(reports: StackReport[], subtitle?: string): string {
  const changed = reports.filter((r) => r.status === "changes");
  const errored = reports.filter((r) => r.status === "error");
  const unchanged = reports.filter((r) => r.status === "no-changes");
  const short = (sha?: string) => (sha ? `\`${sha.slice(0, 12)}\`` : "—");
  const out: string[] = [MARKER, "## 📋 Plan preview", ""];
  out.push(
    `**${reports.length} stack${reports.length === 1 ? "" : "s"}**: ${changed.length} with changes · ${unchanged.length} without · ${errored.length} failed` +
      (subtitle ? ` — ${subtitle}` : ""),
  );
  out.push("");
  if (changed.length + errored.length > 0) {
    // Close and forget get a column only when some stack does either (neither deletes anything).
    const extra = (["close", "forget"] as const).filter((k) => reports.some((r) => r.counts[k] > 0));
    out.push(`| stack | status | add | change | destroy | replace | import | move |${extra.map((k) => ` ${k} |`).join("")} plan sha256 |`);
    out.push(`|---|---|--:|--:|--:|--:|--:|--:|${extra.map(() => "--:|").join("")}---|`);
    for (const r of [...errored, ...changed].sort((a, b) => reports.indexOf(a) - reports.indexOf(b))) {
      const c = r.counts;
      const n = (v: number) => (r.status === "error" ? "–" : String(v));
      out.push(
        `| \`${r.stack}\` | ${STATUS_LABEL[r.status]} | ${n(c.add)} | ${n(c.change)} | ${n(c.destroy)} | ${n(c.replace)} | ${n(c.import)} | ${n(c.move)} |${extra.map((k) => ` ${n(c[k])} |`).join("")} ${short(r.planSha256)} |`,
      );
    }
    out.push("");
  }
  if (unchanged.length > 0) {
    out.push(`✅ **No changes** (${unchanged.length}): ${unchanged.map((r) => `\`${r.stack}\` ${short(r.planSha256)}`).join(", ")}`);
    out.push("");
  }
  const dangerous = reports.flatMap((r) => [
    ...r.destroys.map((d) => `> - 🗑️ **destroy** \`${r.stack}\` · \`${d.address}\`: ${d.reason}`),
    ...r.replaces.map((d) => `> - 🔁 **replace** \`${r.stack}\` · \`${d.address}\`: ${d.reason}`),
  ]);
  if (dangerous.length > 0) {
    const destroys = reports.reduce((s, r) => s + r.destroys.length, 0);
    const replaces = reports.reduce((s, r) => s + r.replaces.length, 0);
    out.push("> [!CAUTION]");
    out.push(
      `> **${destroys} to destroy, ${replaces} to replace.** These objects are deleted (replacements are recreated; their data and uptime are not kept):`,
    );
    let used = 0;
    let listed = 0;
    for (const line of dangerous) {
      if (used + line.length > BANNER_BUDGET) break;
      out.push(line);
      used += line.length + 1;
      listed++;
    }
    if (listed < dangerous.length)
      out.push(`> - … and ${dangerous.length - listed} more, listed in \`plan-preview.json\` (\`destroys\`, \`replaces\`)`);
    out.push("");
  }
  const closes = reports.flatMap((r) => r.closes.map((c) => `> - 📪 **close** \`${r.stack}\` · \`${c.address}\`: ${c.reason}`));
  if (closes.length > 0) {
    out.push("> [!NOTE]");
    out.push(
      `> **${closes.length} issue${closes.length === 1 ? "" : "s"} to close.** Nothing is deleted: GitHub keeps ${closes.length === 1 ? "it" : "them"}, closed.`,
    );
    out.push(...closes.slice(0, 50));
    if (closes.length > 50) out.push(`> - … and ${closes.length - 50} more, listed in \`plan-preview.json\` (\`closes\`)`);
    out.push("");
  }
  const conflicted = reports.filter((r) => r.conflicts.length > 0);
  if (conflicted.length > 0) {
    const n = conflicted.reduce((k, r) => k + r.conflicts.length, 0);
    out.push("> [!WARNING]");
    out.push(`> **${n} generated file${n === 1 ? "" : "s"} left alone**: a person's file holds the path (both versions below):`);
    for (const r of conflicted) out.push(`> - \`${r.stack}\`: ${r.conflicts.map((p) => `\`${p}\``).join(", ")}`);
    out.push("");
  }
  if (errored.length > 0) {
    out.push("> [!WARNING]");
    out.push(
      `> **${errored.length} stack${errored.length === 1 ? "" : "s"} could not be planned**: ${errored.map((r) => `\`${r.stack}\``).join(", ")}. Details below.`,
    );
    out.push("");
  }
  const hashed = reports.filter((r) => r.planSha256);
  if (hashed.length > 0) {
    out.push("<details><summary>Plan files (sha256)</summary>", "");
    out.push("| stack | plan file | sha256 |", "|---|---|---|");
    for (const r of hashed) out.push(`| \`${r.stack}\` | \`${r.planFile ?? "plan.tfplan"}\` | \`${r.planSha256}\` |`);
    out.push("", "</details>", "");
  }
  return out.join("\n");
}
