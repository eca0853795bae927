// Clusters in the model: two Sparks as one swarm, where each service may run (GPU nodes, node-local data at its
// project's home node, public nodes), and validation that refuses a placement that cannot fit, saying why.
import { blueprints } from "../blueprints";
import type { ResolvedHost } from "../constructs/model";
import { clusterMemoryPlan } from "../constructs/model/checks/cluster-memory";
import { ModelValidationError, validateModel } from "../constructs/model/validate";
import { memoryBudgetLines } from "../stacks/memory-report";
import { PAIR_TARGET, sparkPairConfig, swarmConfig } from "../support/swarm-config";

const pair = () => sparkPairConfig() as any;
const resolve = (config: unknown = pair(), projects: readonly unknown[] = blueprints) =>
  validateModel(config, projects, { target: PAIR_TARGET }).hosts[0];

const problemsOf = (config: unknown, projects: readonly unknown[] = blueprints): string[] => {
  try {
    validateModel(config, projects, { target: PAIR_TARGET });
    return [];
  } catch (error) {
    if (!(error instanceof ModelValidationError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

const placementOf = (host: ResolvedHost, project: string, service: string) =>
  project === "obs"
    ? host.observability.services[service].placement!
    : host.projects.find((p) => p.project.id === project)!.services[service].placement!;

const editProject = (id: string, edit: (p: any) => void) =>
  blueprints.map((bp) => {
    if (bp.id !== id) return bp;
    const copy = structuredClone(bp) as any;
    edit(copy);
    return copy;
  });

test("a cluster target resolves to one host named after the cluster, reached through its manager, with every project's home", () => {
  const host = resolve();
  expect(host.name).toBe("pair");
  expect(host.spec.dockerHost).toBe("ssh://ubuntu@spark-1");
  expect(host.cluster!.nodes.map((n) => [n.host, n.manager])).toEqual([
    ["spark-1", true],
    ["spark-2", false],
  ]);
  expect(host.cluster!.homes).toEqual({ "dgx-pixels": "spark-1", sparky: "spark-2" });
  expect(host.cluster!.nodes[1].labels).toEqual({ "sparky.host": "spark-2", gpu: "true", arch: "arm64", memory: "128g", public: "false" });
  expect(host.projects.map((p) => p.project.id)).toEqual(["dgx-pixels", "sparky"]);
});

test("placement follows the model: GPU services on GPU nodes, node-local data at the project's home, the cluster's monitoring anywhere", () => {
  const host = resolve();
  const comfyui = placementOf(host, "dgx-pixels", "comfyui");
  expect(comfyui.constraints.map((c) => `${c.label}==${c.value}`)).toEqual(["gpu==true", "sparky.host==spark-1"]);
  expect(comfyui.constraints[1].reason).toMatch(
    /^keeps its node-local data \(host path \/srv\/dgx-pixels\/ComfyUI, kept volume comfyui-models, .*\) on spark-1$/,
  );
  expect(comfyui).toMatchObject({ mode: "replicated", replicas: 1, nodes: ["spark-1"], reserveMiB: 80 * 1024 });
  // Ollama's kept models pin it to sparky's home; the model pull only talks to it, so it may run anywhere.
  expect(placementOf(host, "sparky", "ollama")).toMatchObject({
    nodes: ["spark-2"],
    constraints: [
      { label: "gpu", value: "true" },
      { label: "sparky.host", value: "spark-2" },
    ],
  });
  expect(placementOf(host, "sparky", "pull-model")).toMatchObject({ mode: "replicated", constraints: [], nodes: ["spark-1", "spark-2"] });
  expect(placementOf(host, "obs", "prometheus")).toMatchObject({ mode: "replicated", constraints: [], nodes: ["spark-1", "spark-2"] });
  expect(placementOf(host, "obs", "node-exporter")).toMatchObject({ mode: "global", nodes: ["spark-1", "spark-2"] });
  expect(placementOf(host, "obs", "dcgm-exporter")).toMatchObject({ mode: "global", constraints: [{ label: "gpu", value: "true" }] });
  // Prometheus finds every task by Swarm's DNS on the observability network.
  expect(host.observability.targets.map((t) => [t.discovery, t.address])).toContainEqual(["dns", "tasks.dgx-pixels-comfyui:8188"]);
  expect(host.observability.targets.every((t) => t.discovery === "dns" && t.address.startsWith("tasks."))).toBe(true);
});

test("a host path under the cluster's shared paths, or a volume that is not kept, does not pin a service", () => {
  const config = pair();
  config.clusters.pair.sharedPaths = ["/srv/dgx-pixels"];
  const projects = editProject("dgx-pixels", (p) => {
    for (const name of ["backend-outputs", "comfyui-models", "comfyui-outputs"]) p.volumes[name].keep = false;
  });
  const host = resolve(config, projects);
  expect(placementOf(host, "dgx-pixels", "mcp-server")).toMatchObject({ constraints: [], nodes: ["spark-1", "spark-2"] });
  expect(placementOf(host, "dgx-pixels", "comfyui").constraints.map((c) => c.label)).toEqual(["gpu"]);
});

test("one placement of every task fits the nodes' budgets, and synth prints it per node", () => {
  const host = resolve();
  const plan = clusterMemoryPlan(host)!;
  expect(plan.overflow).toBeUndefined();
  const spark1 = plan.nodes.find((n) => n.host === "spark-1")!;
  expect(spark1.availableMiB).toBe(120 * 1024);
  expect(spark1.tasks.map((t) => t.container)).toContain("dgx-pixels-comfyui");
  expect(spark1.tasks.map((t) => t.container)).toContain("pair-obs-node-exporter@spark-1");
  const lines = memoryBudgetLines(validateModel(pair(), blueprints, { target: PAIR_TARGET }));
  expect(lines).toContain("sparky-infra: memory budget of node spark-2 (cluster pair): 12.8g of 120g in a placement that fits");
});

test("an over-committed node is refused with the tasks that may only run there and the biggest of them", () => {
  const config = pair();
  config.targets.pair.profiles = ["dev"];
  const projects = editProject("dgx-pixels", (p) => delete p.services["dgx-pixels-dev"].interactive);
  expect(problemsOf(config, projects)).toEqual([
    "config.clusters.pair: the cluster's memory does not fit: the tasks that may only run on spark-1 need 191.3g, but spark-1 has 120g; " +
      "biggest: dgx-pixels-dev 100g, dgx-pixels-comfyui 80g, dgx-pixels-backend 8g, dgx-pixels-mcp 2g. " +
      "Lower a limit, leave a profile out of the target, or let a service run on another node",
  ]);
});

test("a service no node can run is refused with each node's reason and the fixes; so are a terminal and a secret without a file", () => {
  const config = swarmConfig({
    manager: { name: "cpu-a", dockerHost: "unix:///var/run/docker.sock", gpus: false, projects: ["sparky"] },
    worker: { name: "gpu-b", dockerHost: "ssh://ubuntu@gpu-b", gpus: true, projects: ["dgx-pixels"] },
    stateDir: "/tmp/state",
  }) as any;
  config.targets.pair.profiles = ["dev"];
  const projects = editProject("sparky", (p) => (p.services["pull-model"].secretEnv = [{ name: "GH_TOKEN", from: "SPARKY_GH_TOKEN" }]));
  expect(problemsOf(config, projects)).toEqual([
    "projects.dgx-pixels.services.dgx-pixels-dev.interactive: a service with a terminal cannot run on a swarm (docker_service has no tty in kreuzwerker/docker 3.6.2); " +
      "leave its profile out of targets.pair.profiles, or deploy it to a single host",
    'projects.sparky.services.ollama: no node of cluster "pair" can run sparky-ollama: cpu-a: gpu=false, but it requests a GPU; ' +
      "gpu-b: sparky.host=gpu-b, but it keeps its node-local data (kept volume ollama-models) on cpu-a. " +
      "Fix: place sparky on a node that meets the rest (list it in that host's `projects`), or put its data under config.clusters.pair.sharedPaths; " +
      "or give the cluster a GPU node (config.hosts.<name>.gpus), or set targets.pair.allowGpuDowngrade",
    'projects.sparky.services.pull-model.secretEnv[0].file: on a swarm GH_TOKEN reaches sparky-pull-model as a Docker secret file, not a variable: set file to the variable the application reads the file\'s path from (its _FILE convention, e.g. "GH_TOKEN_FILE")',
  ]);
});

test("cluster references are checked: hosts of the config, one role and one cluster each, a target on all of its cluster's hosts", () => {
  const config = pair();
  config.clusters.pair.workers = ["spark-2", "spark-3"];
  config.clusters.other = { manager: "spark-2", labels: { "spark-9": { storage: "nvme" } } };
  config.targets.pair.hosts = ["spark-1"];
  expect(problemsOf(config)).toEqual([
    'config.clusters.pair.workers[1]: unknown host "spark-3" (did you mean "spark-1"?)',
    'config.clusters.other.labels.spark-9: unknown host of the cluster "spark-9" (did you mean "spark-2"?)',
    'config.clusters.other: host "spark-2" is already a node of cluster "pair"; a Docker engine joins one swarm',
    'config.targets.pair.hosts: a target deploys to all of its cluster\'s hosts: set hosts to ["spark-1","spark-2","spark-3"] (cluster "pair")',
  ]);
  const unknown = pair();
  unknown.targets.pair.cluster = "pairs";
  expect(problemsOf(unknown)).toEqual(['config.targets.pair.cluster: unknown cluster "pairs" (did you mean "pair"?)']);
});

test("a port beyond loopback needs a public node, where it binds once per node", () => {
  const projects = editProject("sparky", (p) => {
    p.services.ollama.ports[0].bind = "0.0.0.0";
    p.services.ollama.replicas = 2;
  });
  const config = pair();
  expect(problemsOf(config, projects)).toEqual([
    'projects.sparky.services.ollama.ports[0].bind: 0.0.0.0 publishes the port beyond host "pair"; bind 127.0.0.1 (reach it through an SSH tunnel), or set config.hosts.pair.publicPorts',
    expect.stringMatching(
      /^projects\.sparky\.services\.ollama: no node of cluster "pair" can run sparky-ollama: spark-1: sparky.host=spark-1, .*; spark-2: public=false, but it publishes port 11434 beyond loopback/,
    ),
  ]);
  config.hosts["spark-2"].publicPorts = true;
  expect(problemsOf(config, projects)).toEqual([
    "projects.sparky.services.ollama.replicas: 2 replicas, but a port published beyond loopback binds on the node itself, so one task per node, and only 1 node(s) may run it (spark-2)",
  ]);
});

test("a target's healthcheck timings replace every healthcheck's, retries kept", () => {
  const config = pair();
  config.targets.pair.healthchecks = { interval: "2s", timeout: "2s", startPeriod: "1s" };
  const comfyui = resolve(config).projects[0].services.comfyui.spec.healthcheck!;
  expect(comfyui).toMatchObject({ interval: "2s", timeout: "2s", startPeriod: "1s", retries: 3 });
});
