// What the tools read from a synthesized stack about its state (free of cdktf: the tools read it without loading it).
import type { StateServerEndpoint } from "../constructs/model";

/**
 * What the tools read from a synthesized stack about its state, kept under cdk.tf.json's `//` key (a comment to the
 * engine): whether it lives on a host's state server (the tools then open a tunnel and pass its address as
 * PG_CONN_STR), or whether the stack is a state server's own bootstrap stack.
 */
export interface StackStateMetadata {
  stateServer?: StateServerEndpoint;
  /** The host whose state server this stack deploys (its own state is a local file). */
  bootstrapOf?: string;
}

export const METADATA_KEY = "sparky";

export function stateMetadataOf(config: { "//"?: Record<string, unknown> }): StackStateMetadata {
  return (config["//"]?.[METADATA_KEY] as StackStateMetadata | undefined) ?? {};
}
