/** How the generated repository docs name a project's containers, where they run and how to reach them. */
import type { HostPlacement, Project, ResolvedPort, ResolvedService } from "../../model";

/** The project's containers, named the same on every host that runs it (the first placement's). */
export const projectContainers = (placements: readonly HostPlacement[]): ResolvedService[] => placements[0]?.services ?? [];

/** "127.0.0.1:8188 → 8188" (tcp implied). */
export const portText = (p: ResolvedPort): string => `${p.bind}:${p.host} → ${p.container}${p.protocol === "udp" ? "/udp" : ""}`;

/** How to reach a service: from the Docker host, and from the project's network. */
export function reachText(project: Project, s: ResolvedService): string {
  const fromHost = s.spec.ports.map((p) => `\`${p.bind === "0.0.0.0" ? "<host>" : p.bind}:${p.host}\``);
  const inNetwork = s.spec.ports.map((p) => `\`${s.spec.hostname}:${p.container}\``);
  if (fromHost.length === 0) return `no published ports; \`docker exec -it ${s.containerName} sh\``;
  return `${fromHost.join(", ")} on the Docker host; ${inNetwork.join(", ")} on \`${project.network.name}\``;
}

/** The targets that deploy the project, each once, in config order. */
export const deployTargets = (placements: readonly HostPlacement[]): string[] => [...new Set(placements.flatMap((p) => p.targets))];
