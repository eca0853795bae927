// Markdown rendering of drift reports: a roll-up table, then per stack the out-of-band changes (before → after)
// and the unapplied code. Values are already masked by the analysis; the masker's text pass runs again on output.
import { fenced } from "../engine/markdown";
import type { AttributeChange, DriftReport, StackReport } from "./analyze";

const MAX_VALUE = 300;

export function formatValue(v: unknown): string {
  if (v === undefined) return "(unset)";
  const text = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text;
}

const escapeCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

function attributeLines(attributes: readonly AttributeChange[]): string[] {
  return attributes.map((a) => `  - \`${a.path}\`: ${escapeCell(formatValue(a.before))} → ${escapeCell(formatValue(a.after))}`);
}

const STATUS_ICON: Record<StackReport["status"], string> = {
  clean: "clean",
  drift: "**drift**",
  undeployed: "not deployed",
  error: "**error**",
};

export function renderStack(s: StackReport, heading = "###"): string {
  const out: string[] = [`${heading} \`${s.stack}\`: ${STATUS_ICON[s.status]}`, ""];
  if (s.error) out.push(...fenced(s.error.trim().slice(-3000).split("\n"), "text"), "");
  if (s.drift.length > 0) {
    out.push("Changed outside the code (reality ≠ state; before = last applied, after = now):", "");
    for (const d of s.drift) {
      const what =
        d.kind === "deleted"
          ? "deleted out of band"
          : d.kind === "replaced"
            ? `replaced by hand (now \`${d.occupant?.slice(0, 12)}\`)`
            : d.kind === "stopped"
              ? "stopped out of band (not checked further: refreshing a stopped container deletes it)"
              : d.kind === "failed"
                ? "a one-shot job whose run failed (a deploy or restore runs it again)"
                : "changed";
      out.push(`- \`${d.address}\`: ${what}`, ...attributeLines(d.attributes));
    }
    out.push("");
  }
  if (s.unapplied.length > 0) {
    out.push("Code not applied (before = now, after = code):", "");
    for (const u of s.unapplied) out.push(`- \`${u.address}\`: ${u.actions.join(", ")}`, ...attributeLines(u.attributes));
    out.push("");
  }
  if (s.explainedByDrift.length > 0)
    out.push(
      `A restore would also ${s.explainedByDrift.length === 1 ? "re-apply" : "re-apply each of"} ${s.explainedByDrift.map((a) => `\`${a}\``).join(", ")} (only undoing the drift above).`,
      "",
    );
  if (s.ignored.length > 0) {
    out.push(
      `<details><summary>${s.ignored.length} ignored difference${s.ignored.length === 1 ? "" : "s"} (config/drift-ignore.json)</summary>`,
      "",
    );
    for (const i of s.ignored) out.push(`- \`${i.address}\` \`${i.path}\`: ${escapeCell(i.reason)}`);
    out.push("", "</details>", "");
  }
  return out.join("\n");
}

export function renderMarkdown(report: DriftReport): string {
  const out = [
    `## Drift check: ${report.status}`,
    "",
    `Checked ${report.stacks.length} stack${report.stacks.length === 1 ? "" : "s"} at ${report.generatedAt}.`,
    "",
    "| stack | status | out of band | unapplied code | ignored |",
    "|---|---|---|---|---|",
    ...report.stacks.map(
      (s) => `| \`${s.stack}\` | ${STATUS_ICON[s.status]} | ${s.drift.length} | ${s.unapplied.length} | ${s.ignored.length} |`,
    ),
    "",
    ...report.stacks.filter((s) => s.status === "drift" || s.status === "error").map((s) => renderStack(s)),
    "Reconcile explicitly: `node bin/run.js tools/drift.ts reconcile --restore` applies the code; `--accept` records reality in state.",
  ];
  return out.join("\n") + "\n";
}
