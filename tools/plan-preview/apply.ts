// Applying what was reviewed.
//   apply --from <dir>: exactly the saved plans of a local plan-preview run, after checking their sha256.
//   apply --reviewed <changeset.json>: CI on merge to main. Plans again from trusted code and applies only when
//   the new change set equals the reviewed one; the saved plans themselves never leave the runner that made them.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../engine/args";
import { createMasker, Masker } from "../engine/mask";
import { secretsOf } from "../engine/secrets";
import { selectStacks } from "../engine/select";
import { dependencyOrder, ensureInitialized, runEngine, SynthesizedStack, synthesizedStacks } from "../engine/stacks";
import { withStateServers } from "../engine/state-server";
import { toolchainEnv } from "../engine/toolchain";
import { synthesize } from "../../stacks/synthesize";
import { ChangeSet, CHANGESET_FORMAT } from "./changeset";
import { PLAN_NAME, PreviewSummary, StackSummaryJson, SUMMARY_FILE, SYNTH_DIR } from "./run";

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
  // Every path is checked before anything is applied.
  for (const report of summary.stacks ?? []) if (report.planFile !== undefined) planPathInside(from, String(report.planFile));
  const synthDir = path.join(from, SYNTH_DIR);
  if (!fs.existsSync(path.join(synthDir, "manifest.json"))) {
    log(`apply: ${synthDir} missing; synthesizing the same configuration again`);
    synthesize({ env: toolchainEnv(options.env), projectRoot: options.projectRoot, outdir: synthDir, projects: options.projects });
  }
  const all = synthesizedStacks(synthDir);
  const masker = createMasker({ env: options.env, names: secretsOf(all).map((s) => s.name) });
  const reviewed = new Map(summary.stacks.map((s) => [s.stack, s]));
  const wanted = selectStacks(all, options.stacks).filter((s) => reviewed.has(s.name));
  return withStateServers(wanted, options.env, log, () => applyReviewed(wanted, reviewed, from, masker, options, log));
}

async function applyReviewed(
  wanted: readonly SynthesizedStack[],
  reviewed: ReadonlyMap<string, StackSummaryJson>,
  from: string,
  masker: Masker,
  options: ApplyOptions,
  log: (line: string) => void,
): Promise<{ exitCode: 0 | 1; outcomes: ApplyOutcome[] }> {
  const outcomes: ApplyOutcome[] = [];
  for (const stack of dependencyOrder(wanted)) {
    const report = reviewed.get(stack.name)!;
    if (report.status === "no-changes") {
      outcomes.push({ stack: stack.name, result: "skipped", message: "no changes" });
      continue;
    }
    const planFile = planPathInside(from, report.planFile ?? path.join(stack.name, PLAN_NAME));
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
      refuse(
        `saved plan ${planFile} has sha256 ${actual}, but the reviewed plan was ${report.planSha256}; it is not the plan that was reviewed`,
      );
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
      refuse(
        "the engine refused the saved plan: Saved plan is stale (the state changed after the plan was reviewed); run plan-preview again and review the new plan",
      );
    } else {
      outcomes.push({ stack: stack.name, result: "failed", message: text.slice(-4000) });
      log(`apply: FAILED ${stack.name}:\n${text.slice(-4000)}`);
    }
    break;
  }
  const ok = outcomes.every((o) => o.result === "applied" || o.result === "skipped");
  return { exitCode: ok ? 0 : 1, outcomes };
}

const lastLine = (s: string) =>
  s
    .trim()
    .split("\n")
    .filter((l) => l.trim())
    .pop() ?? "";

/**
 * A plan path read from plan-preview.json, resolved inside the output directory: a relative path that stays
 * there. `../` and absolute paths are refused (the JSON is input, not code).
 */
export function planPathInside(from: string, planFile: string): string {
  const resolved = path.resolve(from, planFile);
  if (path.isAbsolute(planFile) || planFile.split(/[\\/]/).includes("..") || !resolved.startsWith(path.resolve(from) + path.sep))
    throw new InputError(
      `plan path ${JSON.stringify(planFile)} in ${SUMMARY_FILE} leaves ${from}; only paths inside the output directory are read`,
    );
  return resolved;
}

/** A reviewed change set from a file: the format is checked, the content is compared, never executed. */
export function readChangeSet(file: string): ChangeSet {
  let json: Partial<ChangeSet>;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<ChangeSet>;
  } catch (e) {
    throw new InputError(`cannot read the reviewed change set ${file}: ${(e as Error).message}`);
  }
  if (json.format !== CHANGESET_FORMAT || !Array.isArray(json.stacks))
    throw new InputError(`${file} is not a change set (format ${CHANGESET_FORMAT}); it is written by plan-preview as changeset.json`);
  return json as ChangeSet;
}
