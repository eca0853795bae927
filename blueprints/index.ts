import type { ProjectInput } from "../constructs/model";
import { dgxPixels } from "./dgx-pixels";
import { sparky } from "./sparky";

export { dgxPixels, sparky };

/** Every project this repository deploys, in deployment order. */
export const blueprints: ProjectInput[] = [dgxPixels, sparky];
