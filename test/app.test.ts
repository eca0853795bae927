import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const WARNING = 'sparky-infra: warning: projects.dgx-pixels.services.comfyui.gpu: requests a GPU, but host "local" has none';

/** Every temp dir the tests make, removed in afterAll. */
const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function runApp(env: Record<string, string>) {
  // The app must create its output directory itself (and not at all when the model is invalid).
  const outdir = path.join(tempDir("sparky-app-"), "cdktf.out");
  const result = spawnSync(process.execPath, ["bin/app.js"], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CDKTF_OUTDIR: outdir, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { ...result, outdir };
}

describe("the cdktf app (main.ts)", () => {
  test("with no config at all it synthesizes both blueprints for the local target, needing no credentials", () => {
    const { status, stderr, outdir } = runApp({});
    expect(status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual([
      "dgx-pixels-github",
      "dgx-pixels-services",
      "local-observability",
      "sparky-github",
      "sparky-services",
    ]);
    // The GPU downgrade on the CPU-only local host is visible, never silent.
    expect(stderr).toContain('warning: projects.dgx-pixels.services.comfyui.gpu: requests a GPU, but host "local" has none');
  });

  test("warnings look like warnings through the cdktf CLI too (it logs an app's stderr as [ERROR], prints its stdout)", () => {
    const direct = runApp({ CDKTF_CONTEXT_JSON: "{}" }); // what the cdktf CLI sets for its app
    expect(direct.status).toBe(0);
    expect(direct.stdout).toContain(WARNING);
    expect(direct.stderr).not.toContain("warning");

    const outdir = path.join(tempDir("sparky-cdktf-"), "cdktf.out");
    const cli = spawnSync(path.join(root, "node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: "1", CI: "1" },
      encoding: "utf8",
      timeout: 120_000,
    });
    const output = `${cli.stdout}\n${cli.stderr}`;
    expect(cli.status).toBe(0);
    expect(output).toContain(WARNING);
    expect(output.split("\n").filter((l) => l.includes("sparky-infra: warning") && /ERROR/.test(l))).toEqual([]);
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toContain("dgx-pixels-services");
  }, 150_000);

  test("a bad config reports every problem with its path, exits non-zero and writes nothing", () => {
    const dir = tempDir("sparky-config-");
    const config = path.join(dir, "bad.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        github: { owner: "acme" },
        hosts: { dgx: { dockerHost: "ssh://dgx", gpus: true, arch: "arm64", projects: ["dgx-pixels", "sparky"] } },
        targets: { dgx: { hosts: ["dgx"], images: "remote" } },
        defaultTarget: "dgx",
      }),
    );
    const { status, stderr, outdir } = runApp({ SPARKY_CONFIG: config });
    expect(status).toBe(1);
    expect(stderr).toContain("sparky-infra: 2 problems in the model:");
    expect(stderr).toContain('config.hosts.dgx.dockerHost: must be "unix:///path/to/docker.sock" or "ssh://user@host[:port]"');
    expect(stderr).toContain('config.targets.dgx.images: Invalid option: expected one of "production"|"local"');
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test("environment overrides: owner, base URL and a host's Docker URL", () => {
    const { status, outdir } = runApp({
      SPARKY_TARGET: "dgx",
      SPARKY_GITHUB_OWNER: "someone",
      SPARKY_GITHUB_BASE_URL: "http://127.0.0.1:1/",
      SPARKY_DOCKER_HOST_DGX: "ssh://me@dgx.example:2222",
    });
    expect(status).toBe(0);
    const services = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/sparky-services/cdk.tf.json"), "utf8"));
    expect(services.provider.docker[0].host).toBe("ssh://me@dgx.example:2222");
    const github = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/sparky-github/cdk.tf.json"), "utf8"));
    expect(github.provider.github[0]).toEqual(expect.objectContaining({ owner: "someone", base_url: "http://127.0.0.1:1/" }));
    expect(fs.readdirSync(path.join(outdir, "stacks"))).toContain("dgx-observability");
  });

  test("deploying GitHub stacks without a token stops with a clear error before the engine runs, writing nothing", () => {
    const bin = tempDir("sparky-nogh-");
    fs.writeFileSync(path.join(bin, "gh"), "#!/bin/sh\nexit 1\n", { mode: 0o755 }); // `gh auth token` has none
    const outdir = path.join(tempDir("sparky-app-"), "cdktf.out");
    const result = spawnSync(process.execPath, ["bin/run.js", "tools/deploy.ts", "deploy", "local", "*-github"], {
      cwd: root,
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("GITHUB_TOKEN (dgx-pixels-github, sparky-github): is not set and 'gh auth token' gave none.");
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.existsSync(path.dirname(outdir))).toBe(true);
    expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
  });
});
