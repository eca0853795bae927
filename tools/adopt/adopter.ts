// One adopter per kind of object a project's stacks manage (GitHub now; Docker objects next): each reads what
// exists and proposes its own section of the project's adoption map, keeping what a person already confirmed.
import type { Adoption, HostPlacement, Project, ResolvedSystem } from "../../constructs/model";

export interface AdoptionContext {
  system: ResolvedSystem;
  project: Project;
  /** Every host of the config that runs the project. */
  placements: readonly HostPlacement[];
  env: NodeJS.ProcessEnv;
}

export type Section = Exclude<keyof Adoption, "project" | "$comment">;

export interface Adopter<S> {
  section: Section;
  /**
   * The section as it should be now (undefined: nothing exists to adopt), and notes for the person: proposals to
   * confirm, what is left alone. `step` names what it is reading, for the progress view.
   */
  adopt(
    context: AdoptionContext,
    previous: S | undefined,
    step: (what: string) => void,
  ): Promise<{ section: S | undefined; notes: string[] }>;
}
