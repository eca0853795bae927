// Build contexts at synth: resolved against the project's checkout (config key by config key), hashed like Docker
// sends them (.dockerignore respected), and a missing checkout reported without failing the synth.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_CONFIG } from "../config/default-config";
import { blueprints } from "../blueprints";
import { DeploymentConfigSchema } from "../constructs/model";
import { sourceRootOf } from "../constructs/model/sources";
import { contextFiles, contextSha256 } from "../stacks/build-contexts";
import { synthesize } from "../stacks/synthesize";
import { REPO_ROOT } from "../tools/engine/toolchain";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "sparky-contexts-"));

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}

test("a project's checkout: the target's sources, else the config's, else the project's sourceRoot, else ../<id>", () => {
  const config = DeploymentConfigSchema.parse({
    ...structuredClone(DEFAULT_CONFIG),
    sources: { "dgx-pixels": "src/pixels" },
    targets: { ...DEFAULT_CONFIG.targets, dgx: { ...DEFAULT_CONFIG.targets.dgx, sources: { "dgx-pixels": "/opt/pixels" } } },
  });
  const project = { id: "dgx-pixels", sourceRoot: "../dgx-pixels" };
  expect(sourceRootOf(project, config, "dgx", "/etc/sparky")).toEqual({ dir: "/opt/pixels", key: "targets.dgx.sources.dgx-pixels" });
  expect(sourceRootOf(project, config, "local", "/etc/sparky")).toEqual({ dir: "/etc/sparky/src/pixels", key: "sources.dgx-pixels" });
  const plain = DeploymentConfigSchema.parse(structuredClone(DEFAULT_CONFIG));
  expect(sourceRootOf(project, plain, "dgx", "/work/infra")).toEqual({ dir: "/work/dgx-pixels", key: "targets.dgx.sources.dgx-pixels" });
  expect(sourceRootOf({ id: "other" }, plain, "dgx", "/work/infra").dir).toBe("/work/other");
});

test("the hash covers what Docker sends: .dockerignore is respected, the Dockerfile and .dockerignore always count", () => {
  const dir = tmp();
  try {
    writeTree(dir, {
      "docker/Dockerfile": "FROM scratch\n",
      ".dockerignore": "models\n*.log\ndocker\n!docker/keep.txt\n",
      "app/main.py": "print(1)\n",
      "models/big.bin": "weights",
      "run.log": "noise",
      "docker/keep.txt": "kept",
      "docker/other.txt": "ignored",
    });
    expect(contextFiles(dir, "docker/Dockerfile")).toEqual([".dockerignore", "app/main.py", "docker/Dockerfile", "docker/keep.txt"]);
    const before = contextSha256(dir, "docker/Dockerfile");
    fs.writeFileSync(path.join(dir, "models/big.bin"), "other weights");
    fs.writeFileSync(path.join(dir, "run.log"), "more noise");
    expect(contextSha256(dir, "docker/Dockerfile")).toBe(before);
    fs.writeFileSync(path.join(dir, "app/main.py"), "print(2)\n");
    const edited = contextSha256(dir, "docker/Dockerfile");
    expect(edited).not.toBe(before);
    fs.chmodSync(path.join(dir, "app/main.py"), 0o755);
    expect(contextSha256(dir, "docker/Dockerfile")).not.toBe(edited);
    expect(contextSha256(dir, "docker/Missing.dockerfile")).toBeUndefined();
    expect(contextSha256(path.join(dir, "nowhere"), "docker/Dockerfile")).toBeUndefined();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("synth of the dgx target", () => {
  const dir = tmp();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const synth = (sources?: string) => {
    const config = structuredClone(DEFAULT_CONFIG) as any;
    if (sources) config.targets.dgx.sources = { "dgx-pixels": sources };
    fs.writeFileSync(path.join(dir, "sparky.config.json"), JSON.stringify(config));
    const outdir = fs.mkdtempSync(path.join(dir, "out-"));
    const { model } = synthesize({
      env: { SPARKY_TARGET: "dgx", SPARKY_CONFIG: path.join(dir, "sparky.config.json") },
      projectRoot: REPO_ROOT,
      outdir,
      projects: blueprints,
    });
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, "stacks/dgx-pixels-services/cdk.tf.json"), "utf8"));
    return { warnings: model.warnings.map((w) => `${w.path}: ${w.message}`), image: tf.resource.docker_image.comfyui };
  };

  test("without the checkout: a warning naming the path and the key, and a precondition that stops every plan", () => {
    const { warnings, image } = synth("absent-checkout");
    const where = path.join(dir, "absent-checkout");
    expect(warnings).toEqual([
      `targets.dgx.sources.dgx-pixels: build context ${where} is absent (dgx-pixels/comfyui, dgx-pixels/backend-worker, dgx-pixels/mcp-server); ` +
        "dgx-pixels-services cannot be planned until it is checked out there or targets.dgx.sources.dgx-pixels points to a checkout",
    ]);
    expect(image.triggers).toEqual({ context_sha256: "absent" });
    expect(image.lifecycle.precondition[0].condition).toBe("${length(local.comfyui) == 0}");
    expect(image.lifecycle.precondition[0].error_message).toContain(`${where} (with docker/Dockerfile.comfyui)`);
    expect(image.lifecycle.precondition[0].error_message).toContain("targets.dgx.sources.dgx-pixels");
  });

  test("with the checkout: the absolute context, its hash as the trigger and the host's platform; no precondition", () => {
    const checkout = path.join(dir, "pixels");
    writeTree(checkout, Object.fromEntries(["", ".backend", ".comfyui", ".mcp"].map((s) => [`docker/Dockerfile${s}`, "FROM scratch\n"])));
    const { warnings, image } = synth("pixels");
    expect(warnings).toEqual([]);
    expect(image.build).toEqual({
      context: checkout,
      dockerfile: "docker/Dockerfile.comfyui",
      build_args: {},
      platform: "linux/arm64",
      tag: ["dgx-pixels-comfyui:latest"],
    });
    expect(image.platform).toBe("linux/arm64");
    expect(image.triggers).toEqual({ context_sha256: contextSha256(checkout, "docker/Dockerfile.comfyui") });
    expect(image.lifecycle).toBeUndefined();
  });
});
