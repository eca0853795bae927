// Renders the compose file equivalent to one project's `<project>-services` stack on the local target: same
// images, env, ports, volumes, healthchecks and health-gated dependencies. Used as the deploy baseline.
import * as fs from "node:fs";
import { stringify } from "yaml";
import { goDuration } from "../constructs/model";
import type { ObservabilitySet, PlacedProject } from "../constructs/model";
import { resolveImage } from "../constructs/services/images";
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "../tools/engine/toolchain";

export function composeFileFor(placed: PlacedProject, observability: ObservabilitySet): string {
  const { project } = placed;
  const services: Record<string, unknown> = {};
  for (const [name, { containerName, spec }] of Object.entries(placed.services)) {
    const image = resolveImage("local", { spec });
    const command = image.command !== undefined ? (image.command.length > 0 ? image.command : undefined) : spec.command;
    services[name] = {
      image: image.name,
      container_name: containerName,
      hostname: spec.hostname,
      ...(command ? { command } : {}),
      environment: {
        ...spec.env,
        ...image.env,
        ...Object.fromEntries(spec.secretEnv.map((s) => [s.name, `bench-${s.from.toLowerCase()}`])),
      },
      ports: spec.ports.map((p) => `${p.bind}:${p.host}:${p.container}/${p.protocol}`),
      volumes: spec.volumes.map(
        (m) => ("volume" in m ? placed.volumes[m.volume].dockerName : m.hostPath) + `:${m.target}${m.readOnly ? ":ro" : ""}`,
      ),
      restart: spec.restart,
      security_opt: spec.securityOpts,
      networks: spec.metrics ? ["project", "observability"] : ["project"],
      ...(spec.healthcheck
        ? {
            healthcheck: {
              test: image.healthcheckTest ?? spec.healthcheck.test,
              interval: goDuration(spec.healthcheck.interval),
              timeout: goDuration(spec.healthcheck.timeout),
              start_period: goDuration(spec.healthcheck.startPeriod),
              retries: spec.healthcheck.retries,
            },
          }
        : {}),
      depends_on: Object.fromEntries(
        spec.dependsOn.map((d) => [d.service, { condition: d.condition === "healthy" ? "service_healthy" : "service_started" }]),
      ),
    };
  }
  const volumes = Object.fromEntries(Object.values(placed.volumes).map((v) => [v.dockerName, { name: v.dockerName }]));
  return stringify({
    name: `bench-${project.id}`,
    services,
    volumes,
    networks: { project: { name: placed.network.name }, observability: { name: observability.network.name, external: true } },
  });
}

if (require.main === module) {
  const [projectId = "dgx-pixels", file = "compose.yml"] = process.argv.slice(2);
  const host = loadModel(process.env, REPO_ROOT).hosts.find((h) => h.projects.some((p) => p.project.id === projectId));
  const placed = host?.projects.find((p) => p.project.id === projectId);
  if (!host || !placed) throw new Error(`project ${projectId} is not placed on any host of the target`);
  fs.writeFileSync(file, composeFileFor(placed, host.observability));
}
