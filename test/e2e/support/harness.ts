// Shared plumbing for the end-to-end suites: processes with bounded time, the Docker CLI, bounded polling,
// preconditions with the command that fixes each, and cleanup of what a suite created, by id.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CONFIG } from "../../../config/default-config";
import type { DeploymentConfigInput } from "../../../constructs/model";
import { LOCAL_IMAGES } from "../../../constructs/services/images";
import { REPO_ROOT, engineAvailable, toolchainEnv } from "./toolchain";

export { REPO_ROOT };

/** `SPARKY_E2E=0` skips the end-to-end suites on a machine without Docker; CI always runs them. */
export const describeE2E: jest.Describe =
  // Generators and benchmarks import this module outside jest, where `describe` does not exist.
  typeof describe === "undefined" ? (undefined as never) : process.env.SPARKY_E2E === "0" ? describe.skip : describe;

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 10 * 60_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function runOk(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Run> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

/**
 * The engine's environment for the github provider against the emulator: none of the machine's GitHub settings
 * (token, owner, base URL, app credentials) and no TF_LOG noise on stderr; `extra` on top.
 */
export function githubProviderEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...toolchainEnv(), TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
  for (const k of [
    "GITHUB_TOKEN",
    "GITHUB_OWNER",
    "GITHUB_ORGANIZATION",
    "GITHUB_BASE_URL",
    "GITHUB_APP_ID",
    "GITHUB_APP_INSTALLATION_ID",
    "GITHUB_APP_PEM_FILE",
    "TF_LOG",
  ])
    delete env[k];
  return { ...env, ...extra };
}

export const docker = (args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });
export const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** Bounded poll: resolves with the last observation once `done` holds, or throws with it after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  observe: () => Promise<T>,
  done: (t: T) => boolean,
  timeoutMs = 120_000,
  everyMs = 2_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await observe();
      if (done(last)) return last;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what} not reached within ${timeoutMs / 1000}s; last: ${JSON.stringify(last ?? String(lastError), null, 1)}`);
}

export async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Fails with the fixing command when the engine and providers, Docker or the local images are missing. */
export function requireDeployPrerequisites(): void {
  if (!engineAvailable()) throw new Error("the engine and providers are missing: run scripts/setup-toolchain.sh");
  if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0)
    throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
  for (const image of Object.values(LOCAL_IMAGES))
    if (docker(["image", "inspect", image]).status !== 0) throw new Error(`${image} missing: run scripts/build-local-images.sh`);
}

/** Names of existing containers whose names start with one of the owners' prefixes. */
export function containersOf(owners: readonly string[]): string[] {
  return lines(docker(["ps", "-a", "--format", "{{.Names}}"]).stdout).filter((n) => owners.some((o) => n.startsWith(`${o}-`)));
}

/** A scratch directory with a deployment config whose state lives inside it. */
export function workspace(prefix: string, edit: (config: any) => void = () => {}): { dir: string; configFile: string; stateDir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sparky-${prefix}-`));
  const stateDir = path.join(dir, "state");
  const config = structuredClone(DEFAULT_CONFIG) as DeploymentConfigInput & Record<string, any>;
  config.targets.local.state = { backend: "local", directory: stateDir };
  edit(config);
  const configFile = path.join(dir, "sparky.config.json");
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { dir, configFile, stateDir };
}

/** The engine environment plus a value for every sensitive variable a synthesized stack declares. */
export function deployEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...toolchainEnv(), ...extra };
}

export function variablesOf(stackDir: string): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).variable ?? {});
}

/** Removes what the engine may have left: containers by owner label, networks and volumes by name, by id. */
export function removeLeftovers(owners: readonly string[], networks: readonly string[], keepVolumes: ReadonlySet<string>): void {
  for (const owner of owners)
    for (const id of lines(docker(["ps", "-aq", "--filter", `label=sparky.owner=${owner}`]).stdout)) docker(["rm", "-f", id]);
  for (const name of networks)
    for (const id of lines(docker(["network", "ls", "-q", "--filter", `name=^${name}$`]).stdout)) docker(["network", "rm", id]);
  for (const v of lines(docker(["volume", "ls", "-q"]).stdout))
    if (!keepVolumes.has(v) && owners.some((o) => v.startsWith(`${o}-`))) docker(["volume", "rm", v]);
}
