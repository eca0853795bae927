import type { DeploymentConfig } from "../deployment";
import { duplicates, Problem, unknownReference } from "../problems";
import type { ResolvedHost, ResolvedSystem } from "../resolved";
import { resolvePort } from "../resolve";
import type { PortSpec } from "../services";

/** References between config sections: default target, hosts' projects, targets' hosts, one host per project. */
export function checkDeploymentReferences(config: DeploymentConfig, declaredProjectIds: readonly string[], problems: Problem[]): void {
  const hostNames = Object.keys(config.hosts);
  if (!config.targets[config.defaultTarget])
    problems.push({ path: "config.defaultTarget", message: unknownReference("target", config.defaultTarget, Object.keys(config.targets)) });
  for (const [name, host] of Object.entries(config.hosts))
    host.projects.forEach((p, i) => {
      if (!declaredProjectIds.includes(p))
        problems.push({ path: `config.hosts.${name}.projects[${i}]`, message: unknownReference("project", p, declaredProjectIds) });
    });
  for (const [name, target] of Object.entries(config.targets)) {
    target.hosts.forEach((h, i) => {
      if (!config.hosts[h]) problems.push({ path: `config.targets.${name}.hosts[${i}]`, message: unknownReference("host", h, hostNames) });
    });
    const placements = new Map<string, string[]>();
    for (const h of target.hosts) for (const p of config.hosts[h]?.projects ?? []) placements.set(p, [...(placements.get(p) ?? []), h]);
    for (const [p, hosts] of placements)
      if (hosts.length > 1)
        problems.push({
          path: `config.targets.${name}.hosts`,
          message: `project "${p}" would deploy to several hosts (${hosts.join(", ")}); a target places each project on one host`,
        });
  }
}

interface PortClaim {
  path: string;
  owner: string;
  ports: readonly PortSpec[];
  /** Where its one port is set, when that is not `<path>.ports[0]` (the state server's `stateServer.port`). */
  portPath?: string;
}

/** Two bindings of one host port (same protocol, same or wildcard address) cannot both start. */
function checkHostPorts(hostName: string, claims: PortClaim[], problems: Problem[]): void {
  const claimed: { path: string; owner: string; bind: string; port: number; protocol: string }[] = [];
  for (const { path, owner, ports, portPath } of claims)
    ports.map(resolvePort).forEach((port, i) => {
      const clash = claimed.find(
        (c) =>
          c.port === port.host && c.protocol === port.protocol && (c.bind === port.bind || c.bind === "0.0.0.0" || port.bind === "0.0.0.0"),
      );
      const portAt = portPath ?? `${path}.ports[${i}]`;
      if (clash)
        problems.push({
          path: portAt,
          message: `host port ${port.host}/${port.protocol} on host "${hostName}" is already taken by ${clash.owner} (${clash.path})`,
        });
      else claimed.push({ path: portAt, owner, bind: port.bind, port: port.host, protocol: port.protocol });
    });
}

/** First and last address of an IPv4 CIDR, as numbers. */
function addressRange(cidr: string): [number, number] {
  const [address, bits] = cidr.split("/");
  const start = address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = start - (start % size);
  return [first, first + size - 1];
}

/** Docker refuses to create a network whose range overlaps another one on the same engine. */
function checkSubnets(hostName: string, subnets: { path: string; subnet: string }[], problems: Problem[]): void {
  subnets.forEach((a, i) => {
    const [aFirst, aLast] = addressRange(a.subnet);
    const clash = subnets.slice(0, i).find((b) => {
      const [bFirst, bLast] = addressRange(b.subnet);
      return aFirst <= bLast && bFirst <= aLast;
    });
    if (clash)
      problems.push({
        path: a.path,
        message: `subnet ${a.subnet} overlaps ${clash.subnet} (${clash.path}) on host "${hostName}"; Docker cannot create both networks`,
      });
  });
}

/**
 * What must hold on one host of the target: distinct networks and address ranges, no host port taken twice (every
 * service of every placed project, whatever its profile, and the host's observability set), GPU requests only
 * where there is a GPU (or a visible downgrade).
 */
export function checkHost(system: ResolvedSystem, host: ResolvedHost, problems: Problem[], warnings: Problem[]): void {
  const { name, spec, projects: placed } = host;
  for (const n of duplicates(placed.map((p) => p.network.name)))
    problems.push({ path: `config.hosts.${name}.projects`, message: `two projects on host "${name}" use network "${n}"` });
  checkSubnets(
    name,
    [
      { path: `config.hosts.${name}.observabilityNetwork.subnet`, subnet: spec.observabilityNetwork.subnet },
      ...placed.flatMap((p) => (p.network.subnet ? [{ path: `projects.${p.project.id}.network.subnet`, subnet: p.network.subnet }] : [])),
      ...(host.stateServer ? [{ path: `config.hosts.${name}.stateServer.network.subnet`, subnet: host.stateServer.network.subnet }] : []),
    ],
    problems,
  );
  checkHostPorts(
    name,
    [
      ...Object.entries(host.observability.services).map(([service, s]) => ({
        path: `hosts.${name}.observability.${service}`,
        owner: `the host's ${service}`,
        ports: s.spec.ports,
      })),
      ...(host.stateServer
        ? [
            {
              path: `config.hosts.${name}.stateServer`,
              portPath: `config.hosts.${name}.stateServer.port`,
              owner: "the host's state server",
              ports: host.stateServer.service.spec.ports,
            },
          ]
        : []),
      ...placed.flatMap((p) =>
        Object.entries(p.project.services).map(([service, s]) => ({
          path: `projects.${p.project.id}.services.${service}`,
          owner: `${p.project.id}/${service}`,
          ports: s.ports,
        })),
      ),
    ],
    problems,
  );
  if (!spec.publicPorts)
    for (const p of placed)
      for (const [service, s] of Object.entries(p.project.services))
        s.ports.forEach((port, i) => {
          if (!port.bind.startsWith("127."))
            problems.push({
              path: `projects.${p.project.id}.services.${service}.ports[${i}].bind`,
              message: `${port.bind} publishes the port beyond host "${name}"; bind 127.0.0.1 (reach it through an SSH tunnel), or set config.hosts.${name}.publicPorts`,
            });
        });
  if (spec.gpus) return;
  const { targetName, target } = system;
  for (const p of placed)
    for (const [service, s] of Object.entries(p.project.services)) {
      if (!s.gpu) continue;
      const issue = { path: `projects.${p.project.id}.services.${service}.gpu`, message: `requests a GPU, but host "${name}" has none` };
      if (target.allowGpuDowngrade)
        warnings.push({ ...issue, message: `${issue.message}; running it without a GPU (targets.${targetName}.allowGpuDowngrade)` });
      else
        problems.push({
          ...issue,
          message: `${issue.message} (deploy it to a GPU host, or set targets.${targetName}.allowGpuDowngrade to run it on CPU)`,
        });
    }
}

/** Whether two IPv4 ranges share an address (Docker refuses a network whose range overlaps another's). */
export function subnetsOverlap(a: string, b: string): boolean {
  const [aFirst, aLast] = addressRange(a);
  const [bFirst, bLast] = addressRange(b);
  return aFirst <= bLast && bFirst <= aLast;
}
