// The justfile with the pinned `just` (.toolchain/bin/just, installed by setup): recipes get their arguments as
// "$1"/"$@" (set positional-arguments), so an argument is never run as shell.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../support/processes";
import { REPO_ROOT } from "../../tools/engine/toolchain";
import { describeE2E } from "./support/describe-e2e";
import { TOOLCHAIN_DIR, toolchainEnv } from "./support/toolchain";

const JUST = path.join(TOOLCHAIN_DIR, "bin", "just");

describeE2E("justfile: arguments are data, never shell", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-just-"));
  const marker = (name: string) => path.join(dir, name);
  const just = (...args: string[]) => run(JUST, args, { cwd: REPO_ROOT, env: toolchainEnv(), timeoutMs: 120_000 });

  beforeAll(() => {
    if (!fs.existsSync(JUST)) throw new Error(`${JUST} missing: run scripts/setup.sh`);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("just graph '$(touch …)': no command runs; the text is an unknown project", async () => {
    const r = await just("graph", `$(touch ${marker("graph")})`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`graph: unknown project "$(touch ${marker("graph")})"`);
    expect(fs.existsSync(marker("graph"))).toBe(false);
  });

  test("just diff / drift / plan-preview with shell in their arguments run nothing either", async () => {
    const diff = await just("diff", `$(touch ${marker("target")})`, `*; touch ${marker("stacks")}`);
    expect(diff.code).not.toBe(0);
    expect(diff.stderr).toContain(`unknown target "$(touch ${marker("target")})"`);
    const drift = await just("drift", "--no-synth", "--outdir", `\`touch ${marker("drift")}\``);
    expect(drift.code).toBe(1);
    const preview = await just("plan-preview", `--stacks=$(touch ${marker("preview")})`, "--parallel", "0");
    expect(preview.stderr).toContain('--parallel must be a whole number of at least 1, not "0"');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("just logs / restart / urls with shell in their arguments run nothing", async () => {
    const logs = await just("logs", "local", `$(touch ${marker("logs")})`);
    expect(logs.stderr).toContain(`unknown service "$(touch ${marker("logs")})"`);
    const restart = await just("restart", `$(touch ${marker("restart")})`, "comfyui");
    expect(restart.stderr).toContain(`unknown target "$(touch ${marker("restart")})"`);
    const urls = await just("urls", `; touch ${marker("urls")}`);
    expect(urls.code).not.toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("just adopt with shell as a project name: an unknown project, nothing run or written", async () => {
    const r = await just("adopt", `$(touch ${marker("adopt")})`, "--dir", dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`adopt: unknown project $(touch ${marker("adopt")}); the projects are: dgx-pixels, sparky`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
