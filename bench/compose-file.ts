// Renders the compose file equivalent to one project's `<project>-services` stack on the local target: same
// images, env, ports, volumes, healthchecks and health-gated dependencies. Used as the deploy baseline.
import * as fs from "node:fs";
import { stringify } from "yaml";
import { goDuration } from "../constructs/model";
import type { Project } from "../constructs/model";
import { OBSERVABILITY_NETWORK } from "../constructs/observability/host-services";
import { resolveImage } from "../constructs/services/images";
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "../tools/engine/toolchain";

export function composeFileFor(project: Project): string {
  const services: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(project.services)) {
    if (spec.profile) continue;
    const image = resolveImage("local", spec);
    const command = image.command !== undefined ? (image.command.length > 0 ? image.command : undefined) : spec.command;
    services[name] = {
      image: image.name,
      container_name: `${project.id}-${name}`,
      hostname: spec.hostname ?? name,
      ...(command ? { command } : {}),
      environment: {
        ...spec.env,
        ...image.env,
        ...Object.fromEntries(spec.secretEnv.map((s) => [s.name, `bench-${s.from.toLowerCase()}`])),
      },
      ports: spec.ports.map((p) => `${p.bind}:${p.host ?? p.container}:${p.container}/${p.protocol}`),
      volumes: spec.volumes.map(
        (m) => ("volume" in m ? `${project.id}-${m.volume}` : m.hostPath) + `:${m.target}${m.readOnly ? ":ro" : ""}`,
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
  const volumes = Object.fromEntries(Object.keys(project.volumes).map((v) => [`${project.id}-${v}`, { name: `${project.id}-${v}` }]));
  return stringify({
    name: `bench-${project.id}`,
    services,
    volumes,
    networks: { project: { name: project.network.name }, observability: { name: OBSERVABILITY_NETWORK, external: true } },
  });
}

if (require.main === module) {
  const [projectId = "dgx-pixels", file = "compose.yml"] = process.argv.slice(2);
  const project = loadModel(process.env, REPO_ROOT).projects.find((p) => p.id === projectId);
  if (!project) throw new Error(`unknown project ${projectId}`);
  fs.writeFileSync(file, composeFileFor(project));
}
