/** DOCKER-QUICKREF.md: the real container names and ports, and the commands that deploy and inspect them. */
import type { HostPlacement, Project } from "../../model";
import { jobsTable, plannedLines } from "./jobs-text";
import { list, mdMarker, table } from "./markdown";
import { deployTargets, portText, projectContainers } from "./services-text";

type Probe = { http: { port: number; path: string } } | { tcp: { port: number } };
const healthText = (probe: Probe | undefined) =>
  !probe ? "—" : "http" in probe ? `http :${probe.http.port}${probe.http.path}` : `tcp :${probe.tcp.port}`;

const gpuText = (capabilities: readonly string[] | undefined) => (capabilities ? capabilities.join(", ") : "—");
const hostsText = (placements: readonly HostPlacement[]) =>
  placements.length === 0
    ? "no host yet (no host of the config lists the project)"
    : `the host${placements.length === 1 ? "" : "s"} ${placements.map((p) => `\`${p.host}\``).join(" and ")}`;

/** Jobs (how and when each runs) and the services not deployed yet, when the project has any. */
function jobsSection(project: Project): string[] {
  const jobs = jobsTable(project);
  const planned = plannedLines(project);
  return [
    ...(jobs
      ? [
          `## Jobs`,
          ``,
          `A one-shot job runs on the deploy that creates or changes it; a scheduled one runs under supercronic.`,
          ``,
          jobs,
          ``,
        ]
      : []),
    ...(planned.length ? [`## Planned (not deployed)`, ``, list(planned), ``] : []),
  ];
}

export function renderDockerQuickref(project: Project, placements: readonly HostPlacement[]): string {
  const containers = projectContainers(placements);
  const stack = `${project.id}-services`;
  const target = deployTargets(placements).at(-1) ?? "<target>";
  const example = containers.find((s) => s.spec.ports.length > 0) ?? containers[0];
  const lines = [
    mdMarker(project),
    `# ${project.name}: Docker quick reference`,
    ``,
    `sparky-infra deploys these containers (stack \`${stack}\`, network \`${project.network.name}\`) on ${hostsText(placements)}.`,
    ``,
    table(
      ["Container", "Role", "Ports (bind:host → container)", "GPU", "Health probe", "Profile"],
      containers.map((s) => [
        `\`${s.containerName}\``,
        s.spec.role,
        s.spec.ports.map(portText).join(", ") || "—",
        gpuText(project.services[s.name]?.gpu?.capabilities),
        healthText(s.spec.healthcheck?.probe),
        s.spec.profile ?? "—",
      ]),
    ),
    ``,
    ...jobsSection(project),
    `## Observability (shared by every project on the host)`,
    ``,
    table(
      ["Host", "Container", "Ports"],
      placements.flatMap((p) =>
        p.observability.map((s) => [p.host, `\`${s.containerName}\``, s.spec.ports.map(portText).join(", ") || "—"]),
      ),
    ),
    ``,
    `## Commands`,
    ``,
    `From a sparky-infra checkout (targets: ${
      deployTargets(placements)
        .map((t) => `\`${t}\``)
        .join(", ") || "none"
    }):`,
    ``,
    `- \`just deploy ${target} ${stack}\`: create or update the containers`,
    `- \`just diff ${target} ${stack}\`: what a deploy would change`,
    `- \`SPARKY_TARGET=${target} just drift --stacks ${stack}\`: changes made outside sparky-infra`,
    `- \`just destroy ${target} ${stack}\`: remove the containers (volumes marked keep stay)`,
    ``,
  ];
  if (example)
    lines.push(
      `On the Docker host:`,
      ``,
      `- \`docker ps --filter label=sparky.owner=${project.id}\`: the project's containers`,
      `- \`docker logs -f ${example.containerName}\`: follow a container's log`,
      `- \`docker exec -it ${example.containerName} sh\`: a shell in it`,
      `- \`docker inspect --format '{{.State.Health.Status}}' ${example.containerName}\`: its health`,
      ``,
    );
  return lines.join("\n");
}
