import type { Problem } from "../problems";
import type { ResolvedHost } from "../resolved";

/** Docker names containers uniquely per engine: two services on one host may not end up with the same name. */
export function checkContainerNames(host: ResolvedHost, problems: Problem[]): void {
  const seen = new Map<string, string>();
  const claim = (path: string, name: string) => {
    const other = seen.get(name);
    if (other)
      problems.push({
        path: `${path}.containerName`,
        message: `container name "${name}" on host "${host.name}" is already taken by ${other}; set another containerName`,
      });
    else seen.set(name, path);
  };
  for (const [name, s] of Object.entries(host.observability.services)) claim(`hosts.${host.name}.observability.${name}`, s.containerName);
  for (const p of host.projects)
    for (const [name, s] of Object.entries(p.services)) claim(`projects.${p.project.id}.services.${name}`, s.containerName);
}
