import * as path from "node:path";
import { LocalBackend, PgBackend, TerraformStack } from "cdktf";
import type { StateSpec } from "../constructs/model";

/**
 * Keeps state out of cdktf.out (a build directory): one file per stack under the state directory, or a
 * schema per stack in PostgreSQL, whose advisory locks stop two deploys of one stack from running at once.
 */
export function configureStateBackend(
  stack: TerraformStack,
  stackName: string,
  state: StateSpec,
  outdir: string,
  projectRoot: string,
): void {
  if (state.backend === "pg") {
    new PgBackend(stack, { connStr: state.connection, schemaName: `${state.schemaPrefix}_${stackName.replace(/-/g, "_")}` });
    return;
  }
  const stateDir = path.resolve(projectRoot, state.directory);
  const stackDir = path.resolve(outdir, "stacks", stackName);
  new LocalBackend(stack, { path: path.relative(stackDir, path.join(stateDir, `${stackName}.tfstate`)) });
}
