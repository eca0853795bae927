// `just plan-preview`: synthesize in process, plan the selected stacks with the real engine (bounded
// parallelism), render one masked comment, and write plan-preview.md / .json next to the saved plan files.
// Also changeset.json (what the plans change, without values), the only part besides the comment that CI uploads.
import * as fs from "node:fs";
import * as path from "node:path";
import { maskDeep, Masker } from "../engine/mask";
import { prepareStacks } from "../engine/prepare";
import { lineStream, ProgressStream, ProgressView } from "../engine/progress";
import { forEachBounded, planStack, SynthesizedStack } from "../engine/stacks";
import { withStateServers } from "../engine/state-server";
import { ChangeSet, CHANGESET_FILE, CHANGESET_FORMAT, stackChangeSet } from "./changeset";
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
  /** Output directory: cdktf.out/, plan-preview.md, plan-preview.json, changeset.json, <stack>/plan.tfplan. */
  out: string;
  /** Plan the stacks already synthesized here (CI: the guard's vetted copy) instead of synthesizing. */
  synthesized?: string;
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
  const synthesized = options.synthesized ? path.resolve(options.synthesized) : undefined;
  const { selected, env, masker } = prepareStacks({
    ...options,
    outdir: synthesized ?? path.join(out, SYNTH_DIR),
    synth: !synthesized,
    log,
  });
  fs.mkdirSync(out, { recursive: true, mode: 0o700 });
  log(
    `plan-preview: ${synthesized ? `stacks of ${synthesized}` : `synthesized in ${Date.now() - started} ms`}; planning ${selected.length} stack(s): ${selected.map((s) => s.name).join(", ")}`,
  );
  const outcomes = await withStateServers(selected, env, log, () => planSelected(selected, env, options, out));
  const result = writeOutputs(out, outcomes, masker, {
    subtitle: options.subtitle ?? subtitleFromEnv(options.env),
    limit: options.limit,
    commit: commitOf(options.env),
  });
  log(
    `plan-preview: ${result.summary.stacks.length} stack(s) in ${((Date.now() - started) / 1000).toFixed(1)} s; exit ${result.exitCode}; ${path.join(out, COMMENT_FILE)}`,
  );
  return { ...result, outcomes };
}

async function planSelected(
  selected: readonly SynthesizedStack[],
  env: NodeJS.ProcessEnv,
  options: PreviewOptions,
  out: string,
): Promise<StackOutcome[]> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + "\n"));
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
      fs.mkdirSync(path.dirname(keep), { recursive: true, mode: 0o700 });
      fs.copyFileSync(plan.planFile, keep);
      fs.chmodSync(keep, 0o600);
      view.set(stack.name, "done");
      return plan;
    },
    (e) => e.state === "failed" && view.set(e.item.name, "failed"),
  );
  view.finish();
  return settled.map((r, i) => {
    const stack = selected[i].name;
    const planFile = path.join(stack, PLAN_NAME);
    return r.status === "fulfilled"
      ? { stack, planFile, planSha256: r.value.planSha256, json: r.value.json, conflicts: fileConflicts(selected[i].dir, r.value.json) }
      : { stack, error: r.reason instanceof Error ? r.reason.message : String(r.reason) };
  });
}

const commitOf = (env: NodeJS.ProcessEnv) => env.PLAN_PREVIEW_COMMIT ?? env.GITHUB_SHA;

function subtitleFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const sha = commitOf(env);
  return sha ? `commit \`${sha.slice(0, 12)}\`` : undefined;
}

/** Renders and writes plan-preview.md, plan-preview-full.md, plan-preview.json (all masked) and changeset.json. */
export function writeOutputs(
  out: string,
  outcomes: readonly StackOutcome[],
  masker: Masker,
  options: { subtitle?: string; limit?: number; commit?: string } = {},
): Omit<PreviewResult, "outcomes"> {
  const rendered = renderComment(outcomes, { masker, subtitle: options.subtitle, limit: options.limit });
  const summary: PreviewSummary = maskDeep(
    {
      marker: MARKER,
      exitCode: rendered.exitCode,
      trimmed: rendered.trimmed,
      commentChars: rendered.markdown.length,
      stacks: rendered.reports,
    },
    masker,
  );
  fs.writeFileSync(path.join(out, COMMENT_FILE), rendered.markdown);
  fs.writeFileSync(path.join(out, FULL_FILE), rendered.full);
  fs.writeFileSync(path.join(out, SUMMARY_FILE), JSON.stringify(summary, null, 2) + "\n");
  const changeSet: ChangeSet = {
    format: CHANGESET_FORMAT,
    ...(options.commit ? { commit: options.commit } : {}),
    stacks: outcomes.map((o) => stackChangeSet(o.stack, o.error ? undefined : o.json, masker)),
  };
  fs.writeFileSync(path.join(out, CHANGESET_FILE), JSON.stringify(maskDeep(changeSet, masker), null, 2) + "\n");
  return { exitCode: rendered.exitCode, markdown: rendered.markdown, summary };
}
