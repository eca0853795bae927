// Test-only synthesis of a modified model: the blueprints with edits applied, into a given outdir.
// Used by the observability e2e to redeploy without one service's metrics endpoint.
import * as path from "node:path";
import { blueprints } from "../../../blueprints";
import type { ProjectInput } from "../../../constructs/model";
import { synthesize } from "../../../stacks/synthesize";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The blueprints with `project`'s `service` stripped of its metrics endpoint (it still runs, unscraped). */
export function withoutMetrics(project: string, service: string): ProjectInput[] {
  return blueprints.map((bp) => {
    if (bp.id !== project) return bp;
    const copy = structuredClone(bp);
    const spec = copy.services[service];
    if (!spec?.metrics) throw new Error(`${project}/${service} declares no metrics endpoint`);
    delete spec.metrics;
    return copy;
  });
}

/** Validates and synthesizes `projects` with `env` (SPARKY_CONFIG and the like) into `outdir`. */
export function synthWith(projects: readonly ProjectInput[], env: NodeJS.ProcessEnv, outdir: string): void {
  synthesize({ env, projectRoot: ROOT, outdir, projects });
}
