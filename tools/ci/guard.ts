// The preview guard: trusted code (the base branch's checkout) checks the stacks a pull request synthesized
// before the engine sees them, and copies only what passed into a fresh directory. The PR's code runs in a job
// without secrets; what it hands over is data, and this decides whether that data may be planned with the
// preview's credentials. Every problem is reported at once, each with its stack, JSON path and the fix.
import * as fs from "node:fs";
import * as path from "node:path";
import { externalizeLiterals, inlineLiterals, LITERALS_DIR } from "../../stacks/literal-files";
import { InputError } from "../engine/args";
import { checkDataSources } from "./data-sources";
import { ALLOWED_FUNCTIONS, functionCalls } from "./expressions";
import { PER_STACK_BACKEND_ATTRIBUTES, TrustedList } from "./trusted";

/** Provider source → the one version a preview may run (the trusted toolchain's pins). */
export type ProviderPins = Readonly<Record<string, string>>;

export interface GuardOptions {
  /** The PR's synthesized directory (cdktf.out): untrusted input. */
  synthesized: string;
  trusted: TrustedList;
  pins: ProviderPins;
  /** Where local backends' `directory` entries are relative to (the trusted checkout). */
  projectRoot: string;
  /** Where the vetted stacks will be planned (local state paths are relative to it); default `synthesized`. */
  plannedIn?: string;
}

export interface VettedStack {
  name: string;
  dependencies: string[];
  config: Record<string, unknown>;
}

/** Top-level blocks a stack may have: what sparky-infra synthesizes. No modules (init would fetch their code). */
const BLOCKS = new Set(["//", "terraform", "provider", "resource", "data", "variable", "locals", "output", "moved"]);
const TERRAFORM_SETTINGS = new Set(["required_providers", "backend"]);
/** Provider name in the stack → its source; and the provider settings a preview may have. */
const PROVIDERS: Record<string, { source: string; settings: ReadonlySet<string> }> = {
  docker: { source: "kreuzwerker/docker", settings: new Set(["host", "ssh_opts", "alias"]) },
  github: { source: "integrations/github", settings: new Set(["owner", "base_url", "alias"]) },
};
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class GuardError extends InputError {
  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the synthesized stacks; nothing was planned:\n` +
        problems.map((p) => `  ${p}`).join("\n"),
    );
  }
}

/** Checks every stack of `synthesized`; returns them when all pass, throws GuardError listing every problem. */
export function guardStacks(options: GuardOptions): VettedStack[] {
  const problems: string[] = [];
  const stacks = readManifest(options.synthesized, problems);
  const vetted: VettedStack[] = [];
  for (const stack of stacks) {
    const problem = (at: string, message: string) => problems.push(`${stack.name}: ${at}: ${message}`);
    const config = readStackFile(options.synthesized, stack.name, problem);
    if (!config) continue;
    const before = problems.length;
    checkStack(stack.name, config, options, problem);
    if (problems.length === before) vetted.push({ ...stack, config });
  }
  if (problems.length > 0) throw new GuardError(problems);
  return vetted;
}

function readManifest(dir: string, problems: string[]): { name: string; dependencies: string[] }[] {
  const file = path.join(dir, "manifest.json");
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`manifest.json: cannot be read (${(e as Error).message}); synthesize with \`node bin/app.js\``);
    return [];
  }
  const entries = isRecord(manifest) && isRecord(manifest.stacks) ? Object.entries(manifest.stacks) : [];
  if (entries.length === 0) problems.push("manifest.json: lists no stacks");
  const names = new Set(entries.map(([key]) => key));
  return entries.flatMap(([key, entry]) => {
    const at = `manifest.json: stacks.${key}`;
    const s = isRecord(entry) ? entry : {};
    const ok = [
      [STACK_NAME.test(key), `stack name "${key}" must be letters, digits, - and _`],
      [s.name === key, `name ${JSON.stringify(s.name)} must equal its key`],
      [s.workingDirectory === `stacks/${key}`, `workingDirectory ${JSON.stringify(s.workingDirectory)} must be "stacks/${key}"`],
      [
        Array.isArray(s.dependencies ?? []) && ((s.dependencies ?? []) as unknown[]).every((d) => typeof d === "string" && names.has(d)),
        "dependencies must name stacks of the manifest",
      ],
    ] as const;
    for (const [good, message] of ok) if (!good) problems.push(`${at}: ${message}`);
    return ok.every(([good]) => good) ? [{ name: key, dependencies: (s.dependencies ?? []) as string[] }] : [];
  });
}

function readStackFile(dir: string, name: string, problem: (at: string, message: string) => void): Record<string, unknown> | undefined {
  const stackDir = path.join(dir, "stacks", name);
  const file = path.join(stackDir, "cdk.tf.json");
  // A symlink could point the engine anywhere on the runner: only plain directories and files are read.
  if (!fs.existsSync(file) || !fs.lstatSync(stackDir).isDirectory() || !fs.lstatSync(file).isFile()) {
    problem("cdk.tf.json", "missing, or not a regular file in a regular directory");
    return undefined;
  }
  try {
    const config = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    if (!isRecord(config)) {
      problem("cdk.tf.json", "is not a JSON object");
      return undefined;
    }
    // Checked as synthesized: the long literals read back (only from the stack's own files, by their sha256).
    try {
      return inlineLiterals(config, stackDir);
    } catch (e) {
      problem(LITERALS_DIR, `${(e as Error).message}`);
    }
  } catch (e) {
    problem("cdk.tf.json", `is not JSON (${(e as Error).message})`);
  }
  return undefined;
}

function checkStack(
  stack: string,
  config: Record<string, unknown>,
  options: GuardOptions,
  problem: (at: string, message: string) => void,
): void {
  for (const key of Object.keys(config))
    if (!BLOCKS.has(key)) problem(key, `"${key}" blocks are not allowed in a preview (allowed: ${[...BLOCKS].join(", ")})`);
  const terraform = isRecord(config.terraform) ? config.terraform : {};
  for (const key of Object.keys(terraform))
    if (!TERRAFORM_SETTINGS.has(key)) problem(`terraform.${key}`, "not allowed in a preview (only required_providers and backend)");
  checkProviders(terraform.required_providers, config.provider, options, problem);
  checkBackend(stack, terraform.backend, options, problem);
  checkStateServerNote(config["//"], options.trusted, problem);
  checkResources(config, problem);
  checkDataSources(config.data, options.trusted, problem);
  for (const [name, v] of Object.entries(isRecord(config.variable) ? config.variable : {}))
    if (!isRecord(v) || v.sensitive !== true)
      problem(`variable.${name}`, "must be sensitive: a preview feeds variables from its environment, which holds secrets");
  for (const call of functionCalls(config))
    if (!ALLOWED_FUNCTIONS.has(call.name))
      problem(
        call.path || "(root)",
        `calls ${call.name}(), which a preview does not evaluate (allowed: ${[...ALLOWED_FUNCTIONS].join(", ")})`,
      );
}

function checkProviders(
  required: unknown,
  providers: unknown,
  options: GuardOptions,
  problem: (at: string, message: string) => void,
): void {
  const pinned = Object.entries(options.pins)
    .map(([source, version]) => `${source} ${version}`)
    .join(", ");
  for (const [name, spec] of Object.entries(isRecord(required) ? required : {})) {
    const at = `terraform.required_providers.${name}`;
    const known = PROVIDERS[name];
    const s = isRecord(spec) ? spec : {};
    if (!known || s.source !== known.source)
      problem(at, `${JSON.stringify(s.source ?? name)} is not one of the pinned providers (${pinned})`);
    else if (s.version !== options.pins[known.source])
      problem(at, `version ${JSON.stringify(s.version)} of ${known.source} is not the pinned ${options.pins[known.source]}`);
    for (const key of Object.keys(s)) if (key !== "source" && key !== "version") problem(`${at}.${key}`, "not allowed in a preview");
  }
  for (const [name, blocks] of Object.entries(isRecord(providers) ? providers : {})) {
    const known = PROVIDERS[name];
    if (!known) {
      problem(`provider.${name}`, `not one of the pinned providers (${pinned})`);
      continue;
    }
    (Array.isArray(blocks) ? blocks : [blocks]).forEach((block, i) => {
      const at = `provider.${name}[${i}]`;
      const b = isRecord(block) ? block : {};
      for (const key of Object.keys(b))
        if (!known.settings.has(key)) problem(`${at}.${key}`, `not allowed in a preview (allowed: ${[...known.settings].join(", ")})`);
      if (name === "docker") checkDockerEndpoint(at, b, options.trusted, problem);
      if (name === "github" && b.base_url !== undefined && !trustedBaseUrl(String(b.base_url), options.trusted))
        problem(`${at}.base_url`, `${JSON.stringify(b.base_url)} is not in the trusted list's githubBaseUrls`);
    });
  }
}

const trailingSlash = (url: string) => url.replace(/\/+$/, "");
const trustedBaseUrl = (url: string, trusted: TrustedList) => trusted.githubBaseUrls.some((u) => trailingSlash(u) === trailingSlash(url));

/**
 * The tools open an SSH tunnel to the host named in a stack's state-server note (`//.sparky.stateServer`), with
 * that host's ssh options: the same trust as a Docker endpoint.
 */
function checkStateServerNote(metadata: unknown, trusted: TrustedList, problem: (at: string, message: string) => void): void {
  const sparky = isRecord(metadata) && isRecord(metadata.sparky) ? metadata.sparky : undefined;
  const note = sparky && isRecord(sparky.stateServer) ? sparky.stateServer : undefined;
  if (!note) return;
  const at = "//.sparky.stateServer";
  checkDockerEndpoint(at, { host: note.dockerHost, ssh_opts: note.sshOpts }, trusted, problem);
  if (!Number.isInteger(note.port)) problem(`${at}.port`, "must be a port number");
  for (const key of ["database", "user"] as const)
    if (typeof note[key] !== "string" || !/^[A-Za-z0-9_-]+$/.test(note[key] as string))
      problem(`${at}.${key}`, "must be letters, digits, _ and -");
}

function checkDockerEndpoint(
  at: string,
  block: Record<string, unknown>,
  trusted: TrustedList,
  problem: (at: string, message: string) => void,
): void {
  const endpoint = { host: block.host ?? "", sshOpts: block.ssh_opts ?? [] };
  if (!trusted.dockerHosts.some((t) => t.host === endpoint.host && same(t.sshOpts, endpoint.sshOpts)))
    problem(
      at,
      `host ${JSON.stringify(endpoint.host)} with ssh_opts ${JSON.stringify(endpoint.sshOpts)} is not in the trusted list's dockerHosts ` +
        `(trusted: ${trusted.dockerHosts.map((t) => `${t.host} ${JSON.stringify(t.sshOpts)}`).join("; ") || "none"})`,
    );
}

function checkBackend(stack: string, backend: unknown, options: GuardOptions, problem: (at: string, message: string) => void): void {
  const entries = Object.entries(isRecord(backend) ? backend : {});
  if (entries.length !== 1) {
    problem("terraform.backend", "exactly one backend is required (a preview never keeps state in the synthesized directory)");
    return;
  }
  const [[type, block]] = entries;
  const b = isRecord(block) ? block : {};
  const perStack = PER_STACK_BACKEND_ATTRIBUTES[type] ?? [];
  const shared = Object.fromEntries(Object.entries(b).filter(([k]) => !perStack.includes(k)));
  const candidates = options.trusted.backends.map((t) => t[type]).filter(isRecord);
  const matches = candidates.some((t) => {
    if (type !== "local") return same(sorted(shared), sorted(t));
    // A local state file must lie inside the trusted directory (the path is relative to the stack directory).
    const directory = path.resolve(options.projectRoot, String(t.directory ?? ""));
    const file = path.resolve(options.plannedIn ?? options.synthesized, "stacks", stack, String(b.path ?? ""));
    return Object.keys(shared).length === 0 && typeof b.path === "string" && file.startsWith(directory + path.sep);
  });
  if (type === "pg" && typeof b.schema_name === "string" && !/^[A-Za-z0-9_]+$/.test(b.schema_name))
    problem("terraform.backend.pg.schema_name", "must be letters, digits and _");
  if (!matches)
    problem(
      `terraform.backend.${type}`,
      `${JSON.stringify(b)} is not in the trusted list's backends (trusted: ${JSON.stringify(options.trusted.backends)})`,
    );
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function checkResources(config: Record<string, unknown>, problem: (at: string, message: string) => void): void {
  for (const [type, instances] of Object.entries(isRecord(config.resource) ? config.resource : {})) {
    if (!Object.keys(PROVIDERS).some((p) => type.startsWith(`${p}_`)))
      problem(`resource.${type}`, "not a resource of the pinned providers");
    for (const [name, body] of Object.entries(isRecord(instances) ? instances : {}))
      for (const key of ["provisioner", "connection"])
        if (isRecord(body) && key in body) problem(`resource.${type}.${name}.${key}`, `${key} blocks are not allowed (they run commands)`);
  }
}

/**
 * Writes only what passed: a fresh manifest and each stack's cdk.tf.json (its long literals in files written here,
 * from the checked config), nothing else of the PR's files.
 */
export function writeVetted(stacks: readonly VettedStack[], outdir: string): void {
  if (fs.existsSync(outdir)) throw new InputError(`${outdir} exists: the vetted stacks go into a fresh directory`);
  const manifest = { stacks: {} as Record<string, unknown> };
  for (const s of stacks) {
    const dir = path.join(outdir, "stacks", s.name);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(externalizeLiterals(s.config, dir), null, 2));
    manifest.stacks[s.name] = {
      name: s.name,
      workingDirectory: `stacks/${s.name}`,
      synthesizedStackPath: `stacks/${s.name}/cdk.tf.json`,
      dependencies: s.dependencies,
    };
  }
  fs.writeFileSync(path.join(outdir, "manifest.json"), JSON.stringify(manifest, null, 2));
}
