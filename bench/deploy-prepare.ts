// Synthesizes the local target into <work>/deploy with state in <work>/state, and initializes the
// dgx-pixels services stack, so the deploy benchmark times only apply.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_CONFIG } from "../config/default-config";
import { synthesize } from "../stacks/synthesize";
import { ensureInitialized, synthesizedStacks } from "../tools/engine/stacks";
import { REPO_ROOT, toolchainEnv } from "../tools/engine/toolchain";

async function main(work: string): Promise<void> {
  const config = structuredClone(DEFAULT_CONFIG) as any;
  config.targets.local.state = { backend: "local", directory: path.join(work, "state") };
  const configFile = path.join(work, "config.json");
  fs.writeFileSync(configFile, JSON.stringify(config));
  const env = { ...toolchainEnv(), SPARKY_CONFIG: configFile };
  synthesize({ env, projectRoot: REPO_ROOT, outdir: path.join(work, "deploy") });
  const stack = synthesizedStacks(path.join(work, "deploy")).find((s) => s.name === "dgx-pixels-services")!;
  await ensureInitialized(stack.dir, { env });
  process.stderr.write(`prepared ${stack.dir}\n`);
}

main(process.argv[2]).catch((e) => {
  process.stderr.write(`${e}\n`);
  process.exit(1);
});
