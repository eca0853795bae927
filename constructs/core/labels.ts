// The Docker labels the tools read back from live objects. Kept free of cdktf, so the tools that only read labels
// start without loading it.

/** The label that marks a Docker object as a stack's: a deploy adopts such an object when its state lost track of it. */
export const OWNER_LABEL = "sparky.owner";

/** The label that marks a one-shot job's service: the tools read its run from its newest task. */
export const JOB_LABEL = { label: "sparky.kind", value: "job" } as const;
