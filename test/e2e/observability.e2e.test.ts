// End-to-end: the generated observability set on the real Docker engine with the real engine (tofu) and the
// local images. Deploys <host>-observability and both *-services stacks of the default config (target
// "local"), waits until Prometheus reports every generated scrape target up (real node-exporter and Prometheus,
// stand-ins' /metrics, the DCGM stand-in serving the uploaded counters CSV), then redeploys the observability
// stack from a model without sparky/generator's metrics endpoint and checks that its job is gone. Everything it
// created is destroyed in afterAll (engine destroy, then containers, networks and new volumes by id).
// State lives in a temp directory (a private SPARKY_CONFIG), never in the project's .state/.
// Fails loudly when the toolchain, engine or images are missing, unless SPARKY_E2E=0.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CONFIG } from "../../config/default-config";
import { synthWith, withoutMetrics } from "./support/synth-with";

const ROOT = path.resolve(__dirname, "..", "..");
const PROMETHEUS = "http://127.0.0.1:9090";
const STEP_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 90_000;
const IMAGES = ["sparky-local/prometheus:dev", "sparky-local/node-exporter:dev", "sparky-local/standin:dev"];
const OWNERS = ["local-obs", "dgx-pixels", "sparky"];
const NETWORKS = ["sparky-observability", "dgx-pixels-net", "sparky-net"];
const REMOVED = { project: "sparky", service: "generator" };
const enabled = process.env.SPARKY_E2E !== "0";
const maybe = enabled ? describe : describe.skip;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? STEP_TIMEOUT_MS);
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

const docker = (args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });
const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

/** The environment scripts/toolchain-env.sh gives (it unsets inherited TF_* variables, so secrets are added after). */
function toolchainEnv(): NodeJS.ProcessEnv {
  const r = spawnSync("bash", ["-c", "source scripts/toolchain-env.sh >/dev/null && env -0"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/toolchain-env.sh failed: ${r.stderr}`);
  return Object.fromEntries(r.stdout.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

/** Every TerraformVariable of a synthesized stack gets a test value (TF_VAR_<name>); Grafana's is unique. */
function variablesOf(stackDir: string): string[] {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).variable ?? {});
}

/** Job names of the prometheus.yml uploaded by a synthesized observability stack. */
function generatedJobs(stackDir: string): string[] {
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const prometheus = Object.values(tf.resource.docker_container as Record<string, any>).find((c) => c.name === "local-obs-prometheus");
  const upload = prometheus.upload.find((u: any) => u.file === "/etc/prometheus/prometheus.yml");
  return parseYaml(upload.content).scrape_configs.map((j: any) => j.job_name).sort();
}

async function getJson(url: string): Promise<any> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

interface TargetState {
  job: string;
  health: string;
  lastError: string;
  scrapeUrl: string;
}

async function activeTargets(): Promise<TargetState[]> {
  const body = await getJson(`${PROMETHEUS}/api/v1/targets?state=active`);
  return body.data.activeTargets.map((t: any) => ({ job: t.labels.job, health: t.health, lastError: t.lastError, scrapeUrl: t.scrapeUrl }));
}

async function upByJob(): Promise<Record<string, string>> {
  const body = await getJson(`${PROMETHEUS}/api/v1/query?query=up`);
  return Object.fromEntries(body.data.result.map((r: any) => [r.metric.job, r.value[1]]));
}

/** Bounded poll: resolves with the last observation once `done` holds, or throws with it after POLL_MS. */
async function pollUntil<T>(what: string, observe: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
  const deadline = Date.now() + POLL_MS;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await observe();
      if (done(last)) return last;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 3_000));
  }
  throw new Error(`${what} not reached within ${POLL_MS / 1000}s; last: ${JSON.stringify(last ?? String(lastError), null, 1)}`);
}

maybe("observability e2e: generated Prometheus on the real engine", () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-obs-e2e-"));
  const configFile = path.join(work, "sparky.config.json");
  const first = path.join(work, "out-full");
  const second = path.join(work, "out-without");
  const secret = `e2e-grafana-${process.pid}-${Date.now()}`;
  let env: NodeJS.ProcessEnv = {};
  const applied: string[] = []; // stack dirs in apply order
  let volumesBefore = new Set<string>();

  const engine = async (dir: string, args: string[]) => {
    const r = await run(env.TERRAFORM_BINARY_NAME ?? "tofu", args, { cwd: dir, env });
    if (r.code !== 0) throw new Error(`tofu ${args.join(" ")} in ${path.basename(dir)} failed (${r.code}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
    return r;
  };
  const deploy = async (dir: string) => {
    for (const v of variablesOf(dir)) env[`TF_VAR_${v}`] ??= v === "GRAFANA_ADMIN_PASSWORD" ? secret : `e2e-${v.toLowerCase()}`;
    if (!applied.includes(dir)) applied.push(dir); // before apply: a half-applied stack has state to destroy
    await engine(dir, ["init", "-input=false", "-no-color"]);
    await engine(dir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  };

  beforeAll(async () => {
    // Preconditions, each with the command that fixes it.
    if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0) throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
    for (const image of IMAGES)
      if (docker(["image", "inspect", image]).status !== 0) throw new Error(`${image} missing: run scripts/build-local-images.sh`);
    env = toolchainEnv();
    if (!fs.existsSync(env.TERRAFORM_BINARY_NAME ?? "")) throw new Error("tofu missing: run scripts/setup-toolchain.sh");
    const clash = lines(docker(["ps", "-a", "--format", "{{.Names}}"]).stdout).filter((n) => OWNERS.some((o) => n.startsWith(`${o}-`)));
    if (clash.length > 0) throw new Error(`containers from another deploy exist (${clash.join(", ")}); destroy them first`);
    volumesBefore = new Set(lines(docker(["volume", "ls", "-q"]).stdout));

    const config = structuredClone(DEFAULT_CONFIG) as any;
    config.targets.local.state = { backend: "local", directory: path.join(work, "state") };
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const synth = await run(process.execPath, ["bin/app.js"], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SPARKY_CONFIG: configFile, SPARKY_TARGET: "local", CDKTF_OUTDIR: first },
      timeoutMs: 120_000,
    });
    if (synth.code !== 0) throw new Error(`synth failed:\n${synth.stderr}`);
    synthWith(withoutMetrics(REMOVED.project, REMOVED.service), { SPARKY_CONFIG: configFile, SPARKY_TARGET: "local" }, second);
  }, 5 * 60_000);

  afterAll(async () => {
    const errors: string[] = [];
    // Services stacks first: their containers sit on the observability stack's network.
    const isObs = (d: string) => path.basename(d).endsWith("-observability");
    for (const dir of [...applied.filter((d) => !isObs(d)).reverse(), ...applied.filter(isObs).reverse()]) {
      const r = await run(env.TERRAFORM_BINARY_NAME ?? "tofu", ["destroy", "-auto-approve", "-input=false", "-no-color"], { cwd: dir, env }).catch((e) => ({ code: 1, stdout: "", stderr: String(e) }));
      if (r.code !== 0) errors.push(`destroy ${path.basename(dir)}: ${r.stderr.slice(-2000)}`);
    }
    // Whatever the engine left: our containers, networks and the volumes Docker created for them, by id.
    for (const owner of OWNERS)
      for (const id of lines(docker(["ps", "-aq", "--filter", `label=sparky.owner=${owner}`]).stdout)) docker(["rm", "-f", id]);
    for (const name of NETWORKS)
      for (const id of lines(docker(["network", "ls", "-q", "--filter", `name=^${name}$`]).stdout)) docker(["network", "rm", id]);
    for (const v of lines(docker(["volume", "ls", "-q"]).stdout))
      if (!volumesBefore.has(v) && OWNERS.some((o) => v.startsWith(`${o}-`))) docker(["volume", "rm", v]);
    fs.rmSync(work, { recursive: true, force: true });
    if (errors.length > 0) throw new Error(errors.join("\n"));
  }, 15 * 60_000);

  test("every generated scrape target is up in the real Prometheus", async () => {
    const obs = path.join(first, "stacks", "local-observability");
    await deploy(obs);
    for (const stack of ["dgx-pixels-services", "sparky-services"]) await deploy(path.join(first, "stacks", stack));

    const jobs = generatedJobs(obs);
    expect(jobs).toEqual(expect.arrayContaining(["host-prometheus", "host-node-exporter", "host-dcgm-exporter", "dgx-pixels-comfyui", "dgx-pixels-backend-worker", "sparky-generator"]));
    const targets = await pollUntil("all generated targets up", activeTargets, (ts) =>
      jobs.every((j) => ts.some((t) => t.job === j && t.health === "up")),
    );
    expect(targets.map((t) => t.job).sort()).toEqual(jobs);
    for (const t of targets) expect(t.scrapeUrl).not.toMatch(/localhost|127\.0\.0\.1/);
    const up = await pollUntil("up == 1 for every job", upByJob, (u) => jobs.every((j) => u[j] === "1"));
    expect(Object.keys(up).sort()).toEqual(jobs);

    // The DCGM stand-in serves the uploaded CSV: a counter from it is in Prometheus.
    const temp = await getJson(`${PROMETHEUS}/api/v1/query?query=DCGM_FI_DEV_GPU_TEMP`);
    expect(temp.data.result.length).toBeGreaterThan(0);
    // The generated rules are loaded: 19 dgx-pixels rules plus Sparky's.
    const rules = await getJson(`${PROMETHEUS}/api/v1/rules`);
    const names = rules.data.groups.flatMap((g: any) => g.rules.map((r: any) => r.name));
    expect(names).toEqual(expect.arrayContaining(["GPUHighTemperature", "ComfyUIDown"]));
    expect(rules.data.groups.filter((g: any) => g.file === "/etc/prometheus/rules/dgx-pixels.yml").flatMap((g: any) => g.rules)).toHaveLength(19);
  }, 30 * 60_000);

  test("redeploying without a service's metrics endpoint removes its scrape job", async () => {
    const obs = path.join(second, "stacks", "local-observability");
    const jobs = generatedJobs(obs);
    expect(jobs).not.toContain(`${REMOVED.project}-${REMOVED.service}`);
    await deploy(obs);
    const targets = await pollUntil("job removed and the rest up", activeTargets, (ts) =>
      !ts.some((t) => t.job === `${REMOVED.project}-${REMOVED.service}`) && jobs.every((j) => ts.some((t) => t.job === j && t.health === "up")),
    );
    expect(targets.map((t) => t.job).sort()).toEqual(jobs);
    // A second plan of the redeployed stack is empty: the rendered files are deterministic.
    const plan = await run(env.TERRAFORM_BINARY_NAME ?? "tofu", ["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd: obs, env });
    expect(`${plan.code}\n${plan.stdout.slice(-3000)}`).toMatch(/^0\n/);
  }, 20 * 60_000);
});
