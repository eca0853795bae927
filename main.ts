import * as path from "node:path";
import { App } from "cdktf";
import { ModelValidationError } from "./constructs/model/validate";
import { loadModel } from "./stacks/load-model";
import { defineSystem } from "./stacks/system";

const projectRoot = path.resolve(__dirname, "..");

function main(): void {
  let model;
  try {
    model = loadModel(process.env, projectRoot);
  } catch (error) {
    if (!(error instanceof ModelValidationError)) throw error;
    // Fail before the App exists, so nothing is written to cdktf.out.
    process.stderr.write(`sparky-infra: ${error.message}\n`);
    process.exit(1);
  }
  for (const warning of model.warnings) process.stderr.write(`sparky-infra: warning: ${warning.path}: ${warning.message}\n`);
  const app = new App({ outdir: process.env.CDKTF_OUTDIR ?? path.join(projectRoot, "cdktf.out") });
  defineSystem(app, model, projectRoot);
  app.synth();
}

main();
