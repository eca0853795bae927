import type { Project } from "../../model";
import { GENERATED_MARKER } from "./markdown";

/** CODEOWNERS from each orchestrator's owned paths; paths are anchored at the repository root. */
export function renderCodeowners(project: Project): string {
  const lines = [`# ${GENERATED_MARKER}: rendered from the ${project.id} blueprint (orchestrators' ownedPaths and owners)`, ``];
  for (const o of project.orchestrators) {
    if (o.owners.length === 0) continue;
    lines.push(`# ${o.name}`);
    for (const p of o.ownedPaths) lines.push(`${anchor(p)} ${o.owners.join(" ")}`);
    lines.push(``);
  }
  return lines.join("\n");
}

const anchor = (p: string) => (p.startsWith("/") || p.startsWith("*") ? p : `/${p}`).replace(/ /g, "\\ ");
