import * as path from "node:path";
import { LocalBackend, PgBackend, PgBackendConfig, TerraformStack } from "cdktf";
import type { StateServerEndpoint, StateSpec } from "../constructs/model";
import { METADATA_KEY, StackStateMetadata } from "./state-metadata";

export function addStateMetadata(stack: TerraformStack, metadata: StackStateMetadata): void {
  stack.addOverride(`//.${METADATA_KEY}`, metadata);
}

/**
 * Keeps state out of cdktf.out (a build directory): one file per stack under the state directory, or a schema per
 * stack in PostgreSQL, whose advisory locks stop two deploys of one stack from running at once. On a host's state
 * server the backend has no `conn_str`: the tools pass PG_CONN_STR (the tunnel's local end) at run time, so no
 * host, port or password is ever written here.
 */
export function configureStateBackend(
  stack: TerraformStack,
  stackName: string,
  state: StateSpec,
  outdir: string,
  projectRoot: string,
  server?: StateServerEndpoint,
): void {
  if (state.backend === "pg") {
    const schemaName = `${state.schemaPrefix}_${stackName.replace(/-/g, "_")}`;
    if (state.connection !== undefined) {
      new PgBackend(stack, { connStr: state.connection, schemaName });
      return;
    }
    if (!server) throw new Error(`${stackName}: the state server of host "${state.server}" was not resolved`);
    new PgBackend(stack, { schemaName } as PgBackendConfig);
    addStateMetadata(stack, { stateServer: server });
    return;
  }
  const stateDir = path.resolve(projectRoot, state.directory);
  const stackDir = path.resolve(outdir, "stacks", stackName);
  new LocalBackend(stack, { path: path.relative(stackDir, path.join(stateDir, `${stackName}.tfstate`)) });
}
