// The note FileConflicts leaves in a synthesized config for the plan preview to read (free of cdktf, so the tools
// that read it start without loading it).

/** Key of the conflict note in a data source's `//` comment in cdk.tf.json. */
export const CONFLICT_KEY = "sparky-infra-conflict";

export interface ConflictNote {
  path: string;
  /** What sparky-infra would write there. */
  generated: string;
}

/** The conflict note of one data block of a synthesized config, if it has one. */
export function conflictOf(block: unknown): ConflictNote | undefined {
  const note = (block as { "//"?: Record<string, unknown> } | undefined)?.["//"]?.[CONFLICT_KEY] as ConflictNote | undefined;
  return note && typeof note.path === "string" && typeof note.generated === "string" ? note : undefined;
}
