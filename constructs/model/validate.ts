import { z } from "zod";
import { DeploymentConfig, DeploymentConfigSchema, HostSpec, TargetSpec } from "./deployment";
import { closestMatch, Edges, findCycles } from "./graph";
import { Project, ProjectSchema } from "./project";
import { ServiceSpec } from "./services";

/** One thing wrong with the input, located by a dotted path such as `projects.sparky.services.ollama.ports[0]`. */
export interface Problem {
  path: string;
  message: string;
}

export class ModelValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in the model:\n` +
        problems.map((p) => `  ${p.path}: ${p.message}`).join("\n"),
    );
    this.name = "ModelValidationError";
  }
}

export interface ValidatedModel {
  config: DeploymentConfig;
  projects: Project[];
  targetName: string;
  target: TargetSpec;
  /** Visible but allowed deviations the user opted into, e.g. a GPU request dropped on a CPU-only host. */
  warnings: Problem[];
}

/** Services that every host runs for itself (the shared observability set); their ports count in collision checks. */
export type HostServices = (hostName: string, host: HostSpec, projects?: readonly Project[]) => Record<string, ServiceSpec>;

/** Extra per-host checks that need the placed projects, e.g. that alert rules only use metrics someone exposes. */
export type HostChecks = (hostName: string, host: HostSpec, projects: readonly Project[], profiles: readonly string[]) => Problem[];

export interface ValidationOptions {
  /** Target to validate; the config's defaultTarget when unset. */
  target?: string;
  hostServices: HostServices;
  hostChecks?: HostChecks;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
const SECRET_VALUE = /^(ghp_|gho_|ghs_|github_pat_|glpat-|sk-|xox[bp]-)[A-Za-z0-9_-]{8,}/;

/** Renders a zod path, naming array elements by their `id` (workstreams.WS-10) where they have one. */
function formatPath(prefix: string, path: readonly PropertyKey[], root: unknown): string {
  let text = prefix;
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === "number") {
      const element = Array.isArray(node) ? node[key] : undefined;
      const id = element && typeof element === "object" ? (element as { id?: unknown }).id : undefined;
      text += typeof id === "string" && /^[\w.-]+$/.test(id) ? `.${id}` : `[${key}]`;
      node = element;
    } else {
      text += `.${String(key)}`;
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[key as string] : undefined;
    }
  }
  return text;
}

function shapeProblems(prefix: string, error: z.ZodError, input: unknown): Problem[] {
  return error.issues.map((issue) => ({ path: formatPath(prefix, issue.path, input), message: issue.message }));
}

function unknownReference(kind: string, value: string, known: Iterable<string>): string {
  return `unknown ${kind} "${value}"${hintFor(value, [...known])}`;
}

function duplicates(values: string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const v of values) (seen.has(v) ? repeated : seen).add(v);
  return repeated;
}

function checkOrchestration(project: Project, at: string, problems: Problem[]): void {
  const milestoneIds = project.milestones.map((m) => m.id);
  const orchestratorIds = project.orchestrators.map((o) => o.id);
  const workstreamIds = project.workstreams.map((w) => w.id);
  const milestoneRank = new Map(milestoneIds.map((id, i) => [id, i]));

  for (const [kind, ids, list] of [
    ["milestone", milestoneIds, "milestones"],
    ["orchestrator", orchestratorIds, "orchestrators"],
    ["workstream", workstreamIds, "workstreams"],
    ["gate", project.gates.map((g) => g.id), "gates"],
  ] as const) {
    for (const id of duplicates([...ids])) problems.push({ path: `${at}.${list}`, message: `duplicate ${kind} id "${id}"` });
  }

  project.orchestrators.forEach((o) =>
    o.milestones.forEach((m, i) => {
      if (!milestoneRank.has(m))
        problems.push({ path: `${at}.orchestrators.${o.id}.milestones[${i}]`, message: unknownReference("milestone", m, milestoneIds) });
    }),
  );

  const byId = new Map(project.workstreams.map((w) => [w.id, w]));
  for (const ws of project.workstreams) {
    const wsAt = `${at}.workstreams.${ws.id}`;
    if (!orchestratorIds.includes(ws.orchestrator))
      problems.push({ path: `${wsAt}.orchestrator`, message: unknownReference("orchestrator", ws.orchestrator, orchestratorIds) });
    if (!milestoneRank.has(ws.milestone))
      problems.push({ path: `${wsAt}.milestone`, message: unknownReference("milestone", ws.milestone, milestoneIds) });
    for (const field of ["dependsOn", "softDependsOn"] as const) {
      ws[field].forEach((dep, i) => {
        const depAt = `${wsAt}.${field}[${i}]`;
        if (dep === ws.id) problems.push({ path: depAt, message: `a workstream cannot depend on itself` });
        else if (!byId.has(dep)) problems.push({ path: depAt, message: unknownReference("workstream", dep, workstreamIds) });
        else if (field === "dependsOn") {
          const depMilestone = byId.get(dep)!.milestone;
          const mine = milestoneRank.get(ws.milestone);
          const theirs = milestoneRank.get(depMilestone);
          if (mine !== undefined && theirs !== undefined && mine < theirs)
            problems.push({
              path: `${wsAt}.milestone`,
              message: `"${ws.milestone}" is earlier than "${depMilestone}", the milestone of its hard dependency ${dep}`,
            });
        }
      });
    }
  }

  const edges: Edges = new Map(project.workstreams.map((w) => [w.id, w.dependsOn]));
  for (const cycle of findCycles(workstreamIds, edges))
    problems.push({ path: `${at}.workstreams.${cycle[0]}.dependsOn`, message: `dependency cycle: ${cycle.join(" → ")}` });

  for (const gate of project.gates) {
    const gateAt = `${at}.gates.${gate.id}`;
    if (gate.owner !== "meta" && !orchestratorIds.includes(gate.owner))
      problems.push({ path: `${gateAt}.owner`, message: unknownReference("orchestrator", gate.owner, ["meta", ...orchestratorIds]) });
    for (const field of ["from", "to"] as const)
      gate[field].forEach((m, i) => {
        if (!milestoneRank.has(m))
          problems.push({ path: `${gateAt}.${field}[${i}]`, message: unknownReference("milestone", m, milestoneIds) });
      });
    gate.after.forEach((w, i) => {
      if (!byId.has(w)) problems.push({ path: `${gateAt}.after[${i}]`, message: unknownReference("workstream", w, workstreamIds) });
    });
  }
}

function checkServices(project: Project, at: string, problems: Problem[]): void {
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
        if (dep.condition === "healthy" && !target.healthcheck)
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
    for (const [key, value] of Object.entries(service.env)) {
      if ((SECRET_NAME.test(key) && value !== "") || SECRET_VALUE.test(value))
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
    if (SECRET_NAME.test(key) || SECRET_VALUE.test(value))
      problems.push({
        path: `${at}.repository.variables.${key}`,
        message: "looks like a secret; declare it under repository.secrets with the environment variable that holds it",
      });
}

function hintFor(value: string, known: string[]): string {
  const hint = closestMatch(value, known);
  return hint ? ` (did you mean "${hint}"?)` : "";
}

function checkHostPorts(hostName: string, services: { path: string; owner: string; service: ServiceSpec }[], problems: Problem[]): void {
  const claimed: { path: string; owner: string; bind: string; port: number; protocol: string }[] = [];
  for (const { path, owner, service } of services)
    service.ports.forEach((port, i) => {
      const hostPort = port.host ?? port.container;
      const clash = claimed.find(
        (c) =>
          c.port === hostPort && c.protocol === port.protocol && (c.bind === port.bind || c.bind === "0.0.0.0" || port.bind === "0.0.0.0"),
      );
      const portAt = `${path}.ports[${i}]`;
      if (clash)
        problems.push({
          path: portAt,
          message: `host port ${hostPort}/${port.protocol} on host "${hostName}" is already taken by ${clash.owner} (${clash.path})`,
        });
      else claimed.push({ path: portAt, owner, bind: port.bind, port: hostPort, protocol: port.protocol });
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

function checkDeployment(
  config: DeploymentConfig,
  projects: Project[],
  declaredProjectIds: string[],
  targetName: string,
  options: ValidationOptions,
  problems: Problem[],
  warnings: Problem[],
): void {
  const hostNames = Object.keys(config.hosts);
  const projectIds = declaredProjectIds;
  if (!config.targets[config.defaultTarget])
    problems.push({ path: "config.defaultTarget", message: unknownReference("target", config.defaultTarget, Object.keys(config.targets)) });
  for (const [name, host] of Object.entries(config.hosts))
    host.projects.forEach((p, i) => {
      if (!projectIds.includes(p))
        problems.push({ path: `config.hosts.${name}.projects[${i}]`, message: unknownReference("project", p, projectIds) });
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

  const target = config.targets[targetName];
  if (!target) {
    problems.push({ path: "target", message: unknownReference("target", targetName, Object.keys(config.targets)) });
    return;
  }
  for (const hostName of target.hosts) {
    const host = config.hosts[hostName];
    if (!host) continue;
    const placed = projects.filter((p) => host.projects.includes(p.id));
    const networks = placed.map((p) => p.network.name);
    for (const n of duplicates(networks))
      problems.push({ path: `config.hosts.${hostName}.projects`, message: `two projects on host "${hostName}" use network "${n}"` });
    checkSubnets(
      hostName,
      [
        { path: `config.hosts.${hostName}.observabilityNetwork.subnet`, subnet: host.observabilityNetwork.subnet },
        ...placed.flatMap((p) => (p.network.subnet ? [{ path: `projects.${p.id}.network.subnet`, subnet: p.network.subnet }] : [])),
      ],
      problems,
    );
    const all = [
      ...Object.entries(options.hostServices(hostName, host, placed)).map(([name, service]) => ({
        path: `hosts.${hostName}.observability.${name}`,
        owner: `the host's ${name}`,
        service,
      })),
      ...placed.flatMap((p) =>
        Object.entries(p.services).map(([name, service]) => ({
          path: `projects.${p.id}.services.${name}`,
          owner: `${p.id}/${name}`,
          service,
        })),
      ),
    ];
    checkHostPorts(hostName, all, problems);
    if (options.hostChecks) problems.push(...options.hostChecks(hostName, host, placed, target.profiles));
    if (!host.gpus)
      for (const p of placed)
        for (const [name, service] of Object.entries(p.services)) {
          if (!service.gpu) continue;
          const issue = { path: `projects.${p.id}.services.${name}.gpu`, message: `requests a GPU, but host "${hostName}" has none` };
          if (target.allowGpuDowngrade)
            warnings.push({ ...issue, message: `${issue.message}; running it without a GPU (targets.${targetName}.allowGpuDowngrade)` });
          else
            problems.push({
              ...issue,
              message: `${issue.message} (deploy it to a GPU host, or set targets.${targetName}.allowGpuDowngrade to run it on CPU)`,
            });
        }
  }
}

/**
 * Parses and cross-checks the deployment config and every project. All problems are collected and thrown
 * together, so a user fixes everything in one pass.
 */
export function validateModel(configInput: unknown, projectInputs: readonly unknown[], options: ValidationOptions): ValidatedModel {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  const parsedConfig = DeploymentConfigSchema.safeParse(configInput);
  if (!parsedConfig.success) problems.push(...shapeProblems("config", parsedConfig.error, configInput));

  const projects: Project[] = [];
  projectInputs.forEach((input, index) => {
    const id = (input as { id?: unknown })?.id;
    const prefix = `projects.${typeof id === "string" && id ? id : `[${index}]`}`;
    const parsed = ProjectSchema.safeParse(input);
    if (parsed.success) projects.push(parsed.data);
    else problems.push(...shapeProblems(prefix, parsed.error, input));
  });
  for (const id of duplicates(projects.map((p) => p.id))) problems.push({ path: "projects", message: `duplicate project id "${id}"` });

  for (const project of projects) {
    checkOrchestration(project, `projects.${project.id}`, problems);
    checkServices(project, `projects.${project.id}`, problems);
  }

  const targetName = options.target ?? parsedConfig.data?.defaultTarget ?? "";
  // Projects that failed to parse still count as declared, so hosts naming them get no second, misleading error.
  const declaredIds = projectInputs.map((p) => (p as { id?: unknown })?.id).filter((id): id is string => typeof id === "string");
  if (parsedConfig.success) checkDeployment(parsedConfig.data, projects, declaredIds, targetName, options, problems, warnings);

  if (problems.length > 0) throw new ModelValidationError(problems);
  const config = parsedConfig.data!;
  return { config, projects, targetName, target: config.targets[targetName], warnings };
}
