import * as path from "node:path";
import { ModelValidationError } from "./constructs/model/validate";
import { synthesize } from "./stacks/synthesize";
import { reportMemoryBudgets } from "./stacks/memory-report";
import { reportWarnings } from "./stacks/warnings";

// cdktf runs the app from the directory holding cdktf.json: the project root.
const projectRoot = process.cwd();

try {
  const { model } = synthesize({ env: process.env, projectRoot, outdir: process.env.CDKTF_OUTDIR ?? path.join(projectRoot, "cdktf.out") });
  reportWarnings(model.warnings);
  reportMemoryBudgets(model);
} catch (error) {
  if (!(error instanceof ModelValidationError)) throw error;
  process.stderr.write(`sparky-infra: ${error.message}\n`);
  process.exitCode = 1;
}
