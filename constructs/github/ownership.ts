// Who owns what in a repository sparky-infra manages: the rules the GitHub constructs write into the synthesized
// config, read back by the tools (drift, plan preview, destroy) so that each rule is stated once.
//
// On an issue, the model owns the title, the milestone, its own labels and open or closed (from the status).
// People own the body once written (ticked checkboxes, notes), the assignees, comments and every label the model
// does not define. `lifecycle.ignore_changes` keeps the people's attributes out of every plan; the labels are
// shared: the configured set is the model's labels plus the people's ones read from the issue at plan time
// (people-labels.ts), so a deploy never drops a person's label and always restores a model label.
import type { TerraformResource } from "cdktf";

/** Key of the ownership note in a resource's `//` comment in cdk.tf.json. */
export const OWNERSHIP_KEY = "sparky-infra-ownership";

export interface Ownership {
  /** Attributes people own: never planned, and out-of-band changes to them are not drift. */
  people: string[];
  /** Attributes whose value the model and people share: drift is only what the code would undo. */
  shared: string[];
}

/** Leaves `people` to people (ignore_changes) and records the split where the tools can read it. */
export function shareWithPeople(resource: TerraformResource, ownership: Ownership): void {
  resource.lifecycle = { ...resource.lifecycle, ignoreChanges: [...ownership.people] };
  resource.addOverride(`//.${OWNERSHIP_KEY}`, ownership);
}

/** The ownership note of one resource block of a synthesized config, if it has one. */
export function ownershipOf(block: unknown): Ownership | undefined {
  const note = (block as { "//"?: Record<string, unknown> } | undefined)?.["//"]?.[OWNERSHIP_KEY] as Ownership | undefined;
  return note && Array.isArray(note.people) && Array.isArray(note.shared) ? note : undefined;
}

/**
 * Refuses `destroy` and any replacement of what people's work lives in (the repository; labels, milestones and
 * issues, which a replacement would strip from every issue or close): a raw `tofu destroy` or `cdktf destroy` of
 * a `*-github` stack fails before anything goes. `just destroy` archives the repository and forgets the rest
 * instead (tools/deploy/retire.ts). A resource the model drops is still removed (an issue: closed).
 */
export function protect(resource: TerraformResource): void {
  resource.lifecycle = { ...resource.lifecycle, preventDestroy: true };
}

/** Resource types whose provider's delete keeps the object: integrations/github closes an issue instead. */
export const DELETE_CLOSES: readonly string[] = ["github_issue"];
