// One stack's section of the plan-preview comment: a collapsed block with its changes grouped by kind (destroys
// first), each resource's masked attribute diff, drift noted since the last apply, and its file conflicts; or the
// engine's error when it could not be planned.
import type { Masker } from "../engine/mask";
import { fenced } from "../engine/markdown";
import { attributeLines } from "./attributes";
import { FileConflict, renderConflicts } from "./conflicts";
import type { StackReport } from "./render";
import { ChangeKind, Counts, describeReason, PlanSummary } from "./summary";

const MAX_ERROR_CHARS = 4_000;
const KIND_HEADING: Record<string, string> = {
  delete: "🗑️ destroy",
  replace: "🔁 replace",
  update: "✏️ update in place",
  create: "➕ create",
  forget: "🫥 forget (removed from state, kept)",
  close: "📪 close (the issue stays, closed)",
  import: "📥 import",
  move: "🚚 move",
};
const KIND_ORDER: ChangeKind[] = ["delete", "replace", "close", "update", "create", "forget"];

function countsText(c: Counts): string {
  const parts = [
    [c.add, "to add"],
    [c.change, "to change"],
    [c.destroy, "to destroy"],
    [c.replace, "to replace"],
    [c.import, "to import"],
    [c.move, "to move"],
    [c.forget, "to forget"],
    [c.close, "to close"],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, t]) => `${n} ${t}`);
  return parts.length ? parts.join(", ") : "only output changes";
}

export function renderStackDetails(
  report: StackReport,
  summary: PlanSummary | undefined,
  masker: Masker,
  conflicts: readonly FileConflict[] = [],
): string {
  const out: string[] = [];
  if (report.status === "error") {
    out.push(`<details><summary>❌ <b>${report.stack}</b>: could not be planned</summary>`, "");
    let text = report.error ?? "";
    if (text.length > MAX_ERROR_CHARS)
      text = `… (${text.length - MAX_ERROR_CHARS} earlier characters left out)\n` + text.slice(-MAX_ERROR_CHARS);
    out.push(...fenced(text.trim().split("\n"), "text"), "", "</details>");
    return out.join("\n");
  }
  if (!summary) return "";
  const what = report.status === "no-changes" ? "no changes" : countsText(report.counts);
  const conflictText = conflicts.length ? `; ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}` : "";
  out.push(
    `<details><summary>${report.status === "no-changes" ? "⚠️" : "📝"} <b>${report.stack}</b>: ${what}${conflictText}</summary>`,
    "",
  );
  if (report.planSha256) out.push(`Plan file \`${report.planFile ?? "plan.tfplan"}\`, sha256 \`${report.planSha256}\``, "");
  if (summary.drift.length > 0) {
    out.push(`ℹ️ Changed outside OpenTofu since the last apply: ${summary.drift.map((a) => `\`${a}\``).join(", ")}`, "");
  }
  const groups: [string, typeof summary.changes][] = KIND_ORDER.map((k) => [k, summary.changes.filter((c) => c.kind === k)]);
  groups.push(["import", summary.changes.filter((c) => c.importing && (c.kind === "no-op" || c.kind === "read"))]);
  groups.push(["move", summary.changes.filter((c) => c.movedFrom && !c.importing && (c.kind === "no-op" || c.kind === "read"))]);
  for (const [kind, changes] of groups) {
    if (changes.length === 0) continue;
    out.push(`#### ${KIND_HEADING[kind]} (${changes.length})`, "");
    for (const c of changes) {
      const notes: string[] = [];
      if (c.importing) notes.push("imported");
      if (c.movedFrom) notes.push(`moved from \`${c.movedFrom}\``);
      if (c.kind === "delete" || c.kind === "replace" || c.kind === "close") notes.push(describeReason(c));
      out.push(`**\`${c.address}\`**${notes.length ? ` — ${notes.join("; ")}` : ""}`);
      if (c.kind === "delete" || c.kind === "forget" || c.kind === "close") {
        out.push("");
        continue;
      }
      const lines = attributeLines(c.rc.change, c.replacePaths, masker);
      if (lines.length > 0) out.push(...fenced(lines, "diff"));
      out.push("");
    }
  }
  if (summary.outputChanges.length > 0) out.push(`Outputs changing: ${summary.outputChanges.map((o) => `\`${o}\``).join(", ")}`, "");
  out.push(...renderConflicts(conflicts, (t) => masker.text(t)));
  out.push("</details>");
  return out.join("\n");
}
