// Long literals move out of cdk.tf.json into files read back with file(); the tools read the config as cdktf wrote
// it. The engine itself (when set up) shows that file() gives exactly the value the template gave, escapes included.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { externalizeLiterals, inlineLiterals, LITERALS_DIR } from "../stacks/literal-files";
import { engineAvailable, ENGINE_BIN, toolchainEnv } from "../tools/engine/toolchain";

const long = (text: string) => text.repeat(Math.ceil(600 / text.length));

const config = {
  resource: {
    terraform_data: {
      plain: { input: long("plain text, no template. "), depends_on: [long("terraform_data.x")] },
      escaped: { input: long("a workflow: $${{ secrets.TOKEN }} and a directive-like %%{ if x } that is text. ") },
      interpolated: { input: long("${terraform_data.plain.output} ") },
      nested: { input: [{ content: long("first file. ") }, { content: long("first file. ") }], "//": { note: long("comment ") } },
      short: { input: 'short ${upper("x")} template' },
    },
  },
  output: {},
};

describe("literal files", () => {
  let dir = "";
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-literals-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("literals move to files named by their sha256; templates, short strings and the engine's own keys stay", () => {
    const out = externalizeLiterals(config, dir) as typeof config;
    const r = out.resource.terraform_data;
    const ref = /^\$\{file\("\$\{path\.module\}\/literals\/[0-9a-f]{64}\.txt"\)\}$/;
    expect(r.plain.input).toMatch(ref);
    expect(r.escaped.input).toMatch(ref);
    expect(r.nested.input[0].content).toBe(r.nested.input[1].content);
    expect(r.plain.depends_on).toEqual(config.resource.terraform_data.plain.depends_on);
    expect(r.nested["//"]).toEqual(config.resource.terraform_data.nested["//"]);
    expect(r.interpolated.input).toBe(config.resource.terraform_data.interpolated.input);
    expect(r.short.input).toBe(config.resource.terraform_data.short.input);
    expect(fs.readdirSync(path.join(dir, LITERALS_DIR))).toHaveLength(3);
    const escapedFile = path.join(dir, r.escaped.input.slice(`\${file("\${path.module}/`.length, -'")}'.length));
    expect(fs.readFileSync(escapedFile, "utf8")).toContain("${{ secrets.TOKEN }} and a directive-like %{ if x }");
    expect(config.resource.terraform_data.plain.input).not.toMatch(ref); // the input is not modified
  });

  test("inlining gives back the config as synthesized, and refuses a changed file", () => {
    const out = externalizeLiterals(config, dir) as typeof config;
    expect(inlineLiterals(out, dir)).toEqual(config);
    const [file] = fs.readdirSync(path.join(dir, LITERALS_DIR));
    fs.appendFileSync(path.join(dir, LITERALS_DIR, file), "more");
    expect(() => inlineLiterals(out, dir)).toThrow(`${path.basename(dir)}/${LITERALS_DIR}/${file} was changed after synth`);
  });

  (engineAvailable() ? test : test.skip)(
    "the engine reads the same values from the files as from the templates",
    () => {
      const { plain, ...rest } = config.resource.terraform_data;
      const stack = { resource: { terraform_data: { plain: { input: plain.input }, ...rest } } };
      const outputs = Object.fromEntries(
        Object.keys(stack.resource.terraform_data).map((n) => [n, { value: `\${terraform_data.${n}.output}` }]),
      );
      const applied = (stackDir: string, body: object) => {
        fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ ...body, output: outputs }));
        const run = (...args: string[]) =>
          execFileSync(ENGINE_BIN, [...args, "-no-color"], {
            cwd: stackDir,
            env: toolchainEnv(process.env),
            encoding: "utf8",
            timeout: 60_000,
          });
        run("init", "-input=false");
        run("apply", "-auto-approve", "-input=false");
        return JSON.parse(run("output", "-json")) as Record<string, { value: unknown }>;
      };
      const inlineDir = fs.mkdtempSync(path.join(dir, "inline-"));
      const externalDir = fs.mkdtempSync(path.join(dir, "external-"));
      const inline = applied(inlineDir, stack);
      expect(applied(externalDir, externalizeLiterals(stack, externalDir))).toEqual(inline);
      expect(String(inline.escaped.value)).toContain("${{ secrets.TOKEN }} and a directive-like %{ if x }");
    },
    120_000,
  );
});
