import { Edges, findCycles } from "../graph";
import type { Project } from "../project";
import { hintFor, Problem } from "../problems";
import { isSecretName, looksLikeSecretValue } from "../secrets";

/** A project's services on their own: dependencies, volumes, probes, literal secrets, role rules. */
export function checkServices(project: Project, at: string, problems: Problem[]): void {
  const serviceNames = Object.keys(project.services);
  const volumeNames = Object.keys(project.volumes);
  for (const [name, service] of Object.entries(project.services)) {
    const svcAt = `${at}.services.${name}`;
    service.dependsOn.forEach((dep, i) => {
      const depAt = `${svcAt}.dependsOn[${i}]`;
      const target = project.services[dep.service];
      if (dep.service === name) problems.push({ path: depAt, message: "a service cannot depend on itself" });
      else if (!target)
        problems.push({
          path: depAt,
          message: `"${dep.service}" is not a service of ${project.id}${hintFor(dep.service, serviceNames)}`,
        });
      else {
        // A job's conditions are checkJobs' (a job never has a healthcheck).
        if (dep.condition === "healthy" && !target.healthcheck && target.kind !== "job")
          problems.push({
            path: `${depAt}.condition`,
            message: `"healthy" needs a healthcheck on "${dep.service}", which has none (add one, or use "started")`,
          });
        if (target.profile && target.profile !== service.profile)
          problems.push({
            path: depAt,
            message: `"${dep.service}" only runs with profile "${target.profile}", so "${name}" would start without it`,
          });
      }
    });
    service.volumes.forEach((mount, i) => {
      if ("volume" in mount && !project.volumes[mount.volume])
        problems.push({
          path: `${svcAt}.volumes[${i}].volume`,
          message: `"${mount.volume}" is not a volume of ${project.id}${hintFor(mount.volume, volumeNames)}`,
        });
    });
    const containerPorts = service.ports.map((p) => p.container);
    const probe = service.healthcheck?.probe;
    const probePort = probe ? ("http" in probe ? probe.http.port : probe.tcp.port) : undefined;
    if (probePort !== undefined && service.metrics?.port !== probePort && !containerPorts.includes(probePort))
      problems.push({
        path: `${svcAt}.healthcheck.probe`,
        message: `probes port ${probePort}, which the service does not declare (ports: ${containerPorts.join(", ") || "none"})`,
      });
    if (service.role === "mcp" && service.gpu)
      problems.push({
        path: `${svcAt}.gpu`,
        message: "an MCP server is a thin API and never gets a GPU; remove the request or change the role",
      });
    for (const [key, value] of Object.entries(service.env)) {
      if ((isSecretName(key) && value !== "") || looksLikeSecretValue(value))
        problems.push({
          path: `${svcAt}.env.${key}`,
          message: `literal secret value; move it to secretEnv as { name: "${key}", from: "<ENV VAR>" } so the value comes from the environment`,
        });
    }
  }
  const edges: Edges = new Map(Object.entries(project.services).map(([n, s]) => [n, s.dependsOn.map((d) => d.service)]));
  for (const cycle of findCycles(serviceNames, edges))
    problems.push({ path: `${at}.services.${cycle[0]}.dependsOn`, message: `dependency cycle: ${cycle.join(" → ")}` });
  for (const [key, value] of Object.entries(project.repository.variables))
    if (isSecretName(key) || looksLikeSecretValue(value))
      problems.push({
        path: `${at}.repository.variables.${key}`,
        message: "looks like a secret; declare it under repository.secrets with the environment variable that holds it",
      });
}
