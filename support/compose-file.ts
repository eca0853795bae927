// The compose file equivalent to one project's `<project>-services` stack on the local target: same images, env,
// ports, volumes, healthchecks and health-gated dependencies. The deploy benchmark's baseline, and the "running compose
// deployment" that the adoption suite migrates.
import { stringify } from "yaml";
import { goDuration } from "../constructs/model";
import type { ObservabilitySet, PlacedProject } from "../constructs/model";
import { resolveImage } from "../constructs/services/images";

export function composeFileFor(
  placed: PlacedProject,
  observability: ObservabilitySet,
  composeProject = `bench-${placed.project.id}`,
): string {
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
  const volumes = Object.fromEntries(
    Object.values(placed.volumes).map((v) => [
      v.dockerName,
      { name: v.dockerName, ...(v.hostPath ? { driver_opts: { type: "none", o: "bind", device: v.hostPath } } : {}) },
    ]),
  );
  const scraped = Object.values(placed.services).some((s) => s.spec.metrics);
  return stringify({
    name: composeProject,
    services,
    volumes,
    networks: {
      project: { name: placed.network.name },
      ...(scraped ? { observability: { name: observability.network.name, external: true } } : {}),
    },
  });
}
