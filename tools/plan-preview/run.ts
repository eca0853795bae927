// `just plan-preview`: synthesize in process, plan the selected stacks with the real engine (bounded
// parallelism), render one masked comment, and write plan-preview.md / .json next to the saved plan files.
// `apply --from <dir>` applies exactly those saved plans after checking their sha256.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { createMasker, maskDeep, Masker } from "../engine/mask";
import { prepareStacks } from "../engine/prepare";
import { lineStream, ProgressStream, ProgressView } from "../engine/progress";
import { secretsOf } from "../engine/secrets";
import { selectStacks } from "../engine/select";
import { dependencyOrder, ensureInitialized, forEachBounded, planStack, runEngine, synthesizedStacks } from "../engine/stacks";
import { synthesize } from "../../stacks/synthesize";
import { toolchainEnv } from "../engine/toolchain";
import { fileConflicts } from "./conflicts";
import { MARKER, renderComment, StackOutcome, StackReport } from "./render";

export const SYNTH_DIR = "cdktf.out";
export const SUMMARY_FILE = "plan-preview.json";
export const COMMENT_FILE = "plan-preview.md";
export const FULL_FILE = "plan-preview-full.md";
export const PLAN_NAME = "plan.tfplan";

export interface PreviewOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** Output directory: cdktf.out/, plan-preview.md, plan-preview.json, <stack>/plan.tfplan. */
  out: string;
  /** Project inputs (the blueprints by default). */
  projects?: readonly unknown[];
  /** Stack name globs (`*` matches anything); default every stack. */
  stacks?: readonly string[];
  parallel?: number;
  log?: (line: string) => void;
  /** Where the per-stack progress goes (default: lines to `log`). */
  progress?: ProgressStream;
  subtitle?: string;
  limit?: number;
}

export interface StackSummaryJson extends StackReport {
  /** Relative to the output directory. */
  planFile?: string;
}

export interface PreviewSummary {
  marker: string;
  exitCode: 0 | 1 | 2;
  trimmed: boolean;
  commentChars: number;
  stacks: StackSummaryJson[];
}

export interface PreviewResult {
  exitCode: 0 | 1 | 2;
  markdown: string;
  summary: PreviewSummary;
  outcomes: StackOutcome[];
}

export async function planPreview(options: PreviewOptions): Promise<PreviewResult> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const out = path.resolve(options.out);
  const started = Date.now();
  // Synthesis, stack selection and the secrets check; nothing is written when they fail.
  const { selected, env, masker } = prepareStacks({ ...options, outdir: path.join(out, SYNTH_DIR), log });
  log(`plan-preview: synthesized in ${Date.now() - started} ms; planning ${selected.length} stack(s): ${selected.map((s) => s.name).join(", ")}`);

  const view = new ProgressView(
    selected.map((s) => s.name),
    "plan-preview",
    options.progress ?? lineStream(log),
  );
  const settled = await forEachBounded(
    selected,
    options.parallel ?? 3,
    async (stack) => {
      view.set(stack.name, "planning");
      // runEngine feeds declared variables (secrets) from the environment; the saved plan holds their values.
      const plan = await planStack(stack, { env });
      const keep = path.join(out, stack.name, PLAN_NAME);
      fs.mkdirSync(path.dirname(keep), { recursive: true });
      fs.copyFileSync(plan.planFile, keep);
      fs.chmodSync(keep, 0o600);
      view.set(stack.name, "done");
      return plan;
    },
    (e) => e.state === "failed" && view.set(e.item.name, "failed"),
  );
  view.finish();
  const outcomes: StackOutcome[] = settled.map((r, i) => {
    const stack = selected[i].name;
    const planFile = path.join(stack, PLAN_NAME);
    return r.status === "fulfilled"
      ? { stack, planFile, planSha256: r.value.planSha256, json: r.value.json, conflicts: fileConflicts(selected[i].dir, r.value.json) }
      : { stack, error: r.reason instanceof Error ? r.reason.message : String(r.reason) };
  });
  const result = writeOutputs(out, outcomes, masker, { subtitle: options.subtitle ?? subtitleFromEnv(options.env), limit: options.limit });
  log(`plan-preview: ${result.summary.stacks.length} stack(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; exit ${result.exitCode}; ${path.join(out, COMMENT_FILE)}`);
  return { ...result, outcomes };
}

function subtitleFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const sha = env.PLAN_PREVIEW_COMMIT ?? env.GITHUB_SHA;
  return sha ? `commit \`${sha.slice(0, 12)}\`` : undefined;
}

/** Renders and writes plan-preview.md, plan-preview-full.md and plan-preview.json (all masked). */
export function writeOutputs(
  out: string,
  outcomes: readonly StackOutcome[],
  masker: Masker,
  options: { subtitle?: string; limit?: number } = {},
): Omit<PreviewResult, "outcomes"> {
  const rendered = renderComment(outcomes, { masker, subtitle: options.subtitle, limit: options.limit });
  const summary: PreviewSummary = maskDeep(
    { marker: MARKER, exitCode: rendered.exitCode, trimmed: rendered.trimmed, commentChars: rendered.markdown.length, stacks: rendered.reports },
    masker,
  );
  fs.writeFileSync(path.join(out, COMMENT_FILE), rendered.markdown);
  fs.writeFileSync(path.join(out, FULL_FILE), rendered.full);
  fs.writeFileSync(path.join(out, SUMMARY_FILE), JSON.stringify(summary, null, 2) + "\n");
  return { exitCode: rendered.exitCode, markdown: rendered.markdown, summary };
}

export const sha256File = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

export interface ApplyOptions {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  /** A plan-preview output directory. */
  from: string;
  projects?: readonly unknown[];
  stacks?: readonly string[];
  log?: (line: string) => void;
}

export interface ApplyOutcome {
  stack: string;
  result: "applied" | "refused" | "failed" | "skipped";
  message: string;
}

/**
 * Applies the reviewed plans: for every stack with changes, the saved plan's sha256 must equal the one in
 * plan-preview.json, and the engine itself refuses a plan whose state has moved on ("Saved plan is stale").
 * Stops at the first refusal or failure. Exit code 0 when every stack applied or had nothing to apply.
 */
export async function applyFrom(options: ApplyOptions): Promise<{ exitCode: 0 | 1; outcomes: ApplyOutcome[] }> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
  const from = path.resolve(options.from);
  const summaryFile = path.join(from, SUMMARY_FILE);
  if (!fs.existsSync(summaryFile)) throw new Error(`${summaryFile} not found: run plan-preview with --out ${options.from} first`);
  const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as PreviewSummary;
  const synthDir = path.join(from, SYNTH_DIR);
  if (!fs.existsSync(path.join(synthDir, "manifest.json"))) {
    log(`apply: ${synthDir} missing; synthesizing the same configuration again`);
    synthesize({ env: toolchainEnv(options.env), projectRoot: options.projectRoot, outdir: synthDir, projects: options.projects });
  }
  const all = synthesizedStacks(synthDir);
  const masker = createMasker({ env: options.env, names: secretsOf(all).map((s) => s.name) });
  const reviewed = new Map(summary.stacks.map((s) => [s.stack, s]));
  const wanted = selectStacks(all, options.stacks).filter((s) => reviewed.has(s.name));
  const outcomes: ApplyOutcome[] = [];
  for (const stack of dependencyOrder(wanted)) {
    const report = reviewed.get(stack.name)!;
    if (report.status === "no-changes") {
      outcomes.push({ stack: stack.name, result: "skipped", message: "no changes" });
      continue;
    }
    const planFile = path.join(from, report.planFile ?? path.join(stack.name, PLAN_NAME));
    const refuse = (message: string) => {
      outcomes.push({ stack: stack.name, result: "refused", message });
      log(`apply: REFUSED ${stack.name}: ${message}`);
    };
    if (report.status === "error" || !report.planSha256) {
      refuse("the reviewed preview has no plan for this stack (it failed to plan); fix it and run plan-preview again");
      break;
    }
    if (!fs.existsSync(planFile)) {
      refuse(`saved plan ${planFile} is missing`);
      break;
    }
    const actual = sha256File(planFile);
    if (actual !== report.planSha256) {
      refuse(`saved plan ${planFile} has sha256 ${actual}, but the reviewed plan was ${report.planSha256}; it is not the plan that was reviewed`);
      break;
    }
    await ensureInitialized(stack.dir);
    log(`apply: ${stack.name}: sha256 ${actual} matches the reviewed plan; applying`);
    const result = await runEngine(stack.dir, ["apply", "-input=false", "-no-color", "-lock-timeout=60s", planFile], { env: options.env });
    const text = masker.text(`${result.stderr}\n${result.stdout}`.trim());
    if (result.code === 0) {
      outcomes.push({ stack: stack.name, result: "applied", message: lastLine(result.stdout) });
      log(`apply: ${stack.name}: ${lastLine(result.stdout)}`);
      continue;
    }
    if (/Saved plan is stale/i.test(text)) {
      refuse("the engine refused the saved plan: Saved plan is stale (the state changed after the plan was reviewed); run plan-preview again and review the new plan");
    } else {
      outcomes.push({ stack: stack.name, result: "failed", message: text.slice(-4000) });
      log(`apply: FAILED ${stack.name}:\n${text.slice(-4000)}`);
    }
    break;
  }
  const ok = outcomes.every((o) => o.result === "applied" || o.result === "skipped");
  return { exitCode: ok ? 0 : 1, outcomes };
}

const lastLine = (s: string) => s.trim().split("\n").filter((l) => l.trim()).pop() ?? "";
