// The compose file equivalent to a Docker stack on the local target: one project's `<project>-services` stack, or a
// host's `<host>-observability` set (with its rendered config files as compose `configs`). Same images, env, ports,
// volumes, healthchecks and health-gated dependencies. The benchmarks' baseline, and the "running compose
// deployment" that the adoption suite migrates.
import { stringify } from "yaml";
import { goDuration } from "../constructs/model";
import type { ObservabilitySet, PlacedProject, ResolvedService, ResolvedVolume } from "../constructs/model";
import { resolveImage } from "../constructs/services/images";

/** What one compose project runs: a placed project, or a host's observability set. */
export interface ComposeUnit {
  services: Record<string, ResolvedService>;
  volumes: Record<string, ResolvedVolume>;
  /** The unit's own network. */
  network: { name: string };
}

export interface ComposeOptions {
  /** The compose project name. */
  name: string;
  /** The host's observability network, which scraped services also join (created by another compose project). */
  observabilityNetwork?: string;
  /** Files uploaded into a service's container, by service (the observability set's). */
  files?: Record<string, { path: string; content: string }[]>;
}

export function composeFile(unit: ComposeUnit, options: ComposeOptions): string {
  const services: Record<string, unknown> = {};
  const configs: Record<string, { content: string }> = {};
  for (const [name, { containerName, spec }] of Object.entries(unit.services)) {
    const image = resolveImage("local", { spec });
    const command = image.command !== undefined ? (image.command.length > 0 ? image.command : undefined) : spec.command;
    const files = (options.files?.[name] ?? []).map((f, i) => {
      // Compose interpolates `$` in the file content; `$$` is a literal one.
      configs[`${name}-${i}`] = { content: f.content.replaceAll("$", "$$$$") };
      return { source: `${name}-${i}`, target: f.path };
    });
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
        (m) => ("volume" in m ? unit.volumes[m.volume].dockerName : m.hostPath) + `:${m.target}${m.readOnly ? ":ro" : ""}`,
      ),
      ...(files.length > 0 ? { configs: files } : {}),
      restart: spec.restart,
      security_opt: spec.securityOpts,
      networks: spec.metrics && options.observabilityNetwork ? ["project", "observability"] : ["project"],
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
    Object.values(unit.volumes).map((v) => [
      v.dockerName,
      { name: v.dockerName, ...(v.hostPath ? { driver_opts: { type: "none", o: "bind", device: v.hostPath } } : {}) },
    ]),
  );
  const scraped = options.observabilityNetwork && Object.values(unit.services).some((s) => s.spec.metrics);
  return stringify({
    name: options.name,
    services,
    volumes,
    ...(Object.keys(configs).length > 0 ? { configs } : {}),
    networks: {
      project: { name: unit.network.name },
      ...(scraped ? { observability: { name: options.observabilityNetwork, external: true } } : {}),
    },
  });
}

/** The compose file of one project's services stack, joining the host's observability network. */
export function composeFileFor(
  placed: PlacedProject,
  observability: ObservabilitySet,
  composeProject = `bench-${placed.project.id}`,
): string {
  return composeFile(placed, { name: composeProject, observabilityNetwork: observability.network.name });
}
