// The drift tool driven on one deployed stack, shared by the drift e2e suites (drift-docker and drift-github):
// check the stack, or restore it and expect it clean.
import * as path from "node:path";
import { CheckOptions, checkDrift, reconcile } from "../../../tools/drift/check";
import { loadIgnoreList } from "../../../tools/drift/ignore";
import { REPO_ROOT } from "../../../tools/engine/toolchain";

/** The timeout of one drift step (a deploy, a check, a restore). */
export const STEP = 10 * 60_000;

/** config/drift-ignore.json, the known harmless differences `just drift` leaves out. */
export const ignore = loadIgnoreList(path.join(REPO_ROOT, "config", "drift-ignore.json"));

/** The drift tool on one stack: `check` returns its report; `restoreAndExpectClean` reconciles and re-checks. */
export function driftSteps(options: CheckOptions & { stacks: string }) {
  const check = async () => {
    const report = await checkDrift(options);
    expect(report.stacks.map((s) => s.stack)).toEqual([options.stacks]);
    return report.stacks[0];
  };
  const restoreAndExpectClean = async (allowDestroy = false) => {
    const { results } = await reconcile("restore", { ...options, allowDestroy });
    expect(results.map((r) => [r.stack, r.action, r.ok, r.ok ? "" : r.output])).toEqual([[options.stacks, "restore", true, ""]]);
    const after = await check();
    expect({ status: after.status, drift: after.drift, unapplied: after.unapplied }).toEqual({ status: "clean", drift: [], unapplied: [] });
  };
  return { check, restoreAndExpectClean };
}
