// The endpoints a deployed Docker stack outputs (its `endpoints` output, read from state), for `just urls` and
// `just tunnel`.
import * as path from "node:path";
import { ENDPOINTS_OUTPUT, Endpoint } from "../../constructs/model/endpoints";
import { prepareStacks, PreparedStacks } from "./prepare";
import { forEachBounded, ensureInitialized, runEngine, SynthesizedStack } from "./stacks";
import { REPO_ROOT } from "./toolchain";
import { readStackConfig } from "./variables";

export interface StackEndpoints {
  stack: SynthesizedStack;
  /** Undefined when the stack is not deployed (its state holds no outputs). */
  endpoints?: Endpoint[];
  error?: string;
}

export const hasEndpoints = (stack: SynthesizedStack) => readStackConfig(stack.dir).output?.[ENDPOINTS_OUTPUT] !== undefined;

/** `output -json endpoints` of every stack that declares it, at most four at a time. */
export async function readEndpoints(stacks: readonly SynthesizedStack[], env: NodeJS.ProcessEnv): Promise<StackEndpoints[]> {
  const docker = stacks.filter(hasEndpoints);
  const settled = await forEachBounded(docker, 4, async (stack) => {
    await ensureInitialized(stack.dir, { env });
    const r = await runEngine(stack.dir, ["output", "-json", ENDPOINTS_OUTPUT], { env, timeoutMs: 120_000 });
    if (r.code !== 0) return /not found|No outputs found/i.test(r.stderr) ? undefined : Promise.reject(new Error(r.stderr.trim()));
    return JSON.parse(r.stdout) as Endpoint[];
  });
  return settled.map((r, i) =>
    r.status === "fulfilled"
      ? { stack: docker[i], endpoints: r.value }
      : { stack: docker[i], error: r.reason instanceof Error ? r.reason.message : String(r.reason) },
  );
}

/**
 * The target's stacks synthesized in place (`--output`, else CDKTF_OUTDIR, else cdktf.out, where its deploy ran) with
 * their deployed endpoints. Reading outputs needs no secrets.
 */
export async function deployedEndpoints(
  target: string | undefined,
  stacks: readonly string[],
  output: string | undefined,
): Promise<{ prepared: PreparedStacks; results: StackEndpoints[] }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(target ? { SPARKY_TARGET: target } : {}) };
  const prepared = prepareStacks({
    env,
    projectRoot: REPO_ROOT,
    outdir: path.resolve(output ?? env.CDKTF_OUTDIR ?? path.join(REPO_ROOT, "cdktf.out")),
    stacks: stacks.filter((s) => s.trim() !== ""),
    checkSecrets: false,
  });
  return { prepared, results: await readEndpoints(prepared.selected, prepared.env) };
}
