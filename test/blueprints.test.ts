import { blueprints } from "../blueprints";
import { DeploymentConfigInput, Project } from "../constructs/model";
import { ModelValidationError, validateModel } from "../constructs/model/validate";
import { computeSchedule } from "../constructs/orchestration/schedule";

const config: DeploymentConfigInput = {
  github: { owner: "raibid-labs" },
  hosts: {
    spark: { dockerHost: "unix:///var/run/docker.sock", gpus: true, arch: "arm64", projects: ["dgx-pixels", "sparky"] },
  },
  targets: {
    production: { hosts: ["spark"] },
    dev: { hosts: ["spark"], profiles: ["dev"] },
  },
  defaultTarget: "production",
};

/** Validates and resolves; the host's observability set takes part in every check (its ports too). */
function validate(target: string) {
  try {
    return validateModel(config, blueprints, { target });
  } catch (error) {
    if (error instanceof ModelValidationError) throw new Error(error.message);
    throw error;
  }
}

const project = (id: string): Project => validate("production").projects.find((p) => p.id === id)!;

describe("blueprints", () => {
  it("lists both projects", () => {
    expect(blueprints.map((b) => b.id)).toEqual(["dgx-pixels", "sparky"]);
  });

  it.each(["production", "dev"])("validate together on one GPU host with zero problems (target %s)", (target) => {
    const model = validate(target);
    expect(model.projects).toHaveLength(2);
    expect(model.warnings).toEqual([]);
  });

  it("share no host port with each other or with the host observability set", () => {
    const model = validate("production");
    const ports = model.hosts[0].projects
      .flatMap((p) => Object.values(p.services))
      .concat(Object.values(model.hosts[0].observability.services))
      .flatMap((s) => s.spec.ports.map((p) => `${p.bind}:${p.host}/${p.protocol}`));
    expect(ports.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe("dgx-pixels blueprint", () => {
  const p = project("dgx-pixels");

  it("has the plan's shape", () => {
    expect(p.milestones.map((m) => m.id)).toEqual(["M0", "M1", "M2", "M3", "M4", "M5"]);
    expect(p.orchestrators.map((o) => o.id)).toEqual(["foundation", "model", "interface", "integration"]);
    expect(p.workstreams.map((w) => w.id)).toEqual(Array.from({ length: 18 }, (_, i) => `WS-${String(i + 1).padStart(2, "0")}`));
    expect(p.gates.filter((g) => g.owner === "meta")).toHaveLength(3);
    expect(p.gates.filter((g) => g.owner !== "meta")).toHaveLength(7);
    expect(p.gates.filter((g) => g.status === "passed").map((g) => g.id)).toEqual(["gate-2-model-interface", "gate-3-integration"]);
    expect(p.decisions.length).toBeGreaterThan(10);
  });

  it("every workstream carries the full spec", () => {
    for (const ws of p.workstreams) {
      expect(ws.deliverables.length).toBeGreaterThanOrEqual(2);
      expect(ws.acceptanceCriteria.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("has the documented critical path of 35 days with upper estimates", () => {
    const schedule = computeSchedule(p.workstreams, "max");
    expect(schedule.criticalPath).toEqual(["WS-01", "WS-04", "WS-05", "WS-10", "WS-13", "WS-14"]);
    expect(schedule.totalDays).toBe(35);
  });

  it("has all 19 alert rules in 5 groups", () => {
    expect(p.alerts.map((g) => [g.name, g.interval, g.rules.length])).toEqual([
      ["gpu_critical", "30s", 7],
      ["generation_pipeline", "1m", 5],
      ["system_resources", "1m", 3],
      ["zeromq_communication", "30s", 2],
      ["comfyui_integration", "1m", 2],
    ]);
    const rules = p.alerts.flatMap((g) => g.rules);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(19);
    for (const rule of rules) expect(Object.keys(rule.labels).sort()).toEqual(["category", "component"]);
    expect(rules.find((r) => r.alert === "ComfyUIDown")!.expr).toBe('up{job="dgx-pixels-comfyui"} == 0');
  });

  it("alert rules only use metrics the project's services expose or the host set provides", () => {
    const exposed = new Set(Object.values(p.services).flatMap((s) => s.metrics?.exposes ?? []));
    const used = p.alerts.flatMap((g) => g.rules).flatMap((r) => r.expr.match(/\b(?:dgx_pixels|zmq|comfyui)_[a-z0-9_]+/g) ?? []);
    expect(used.length).toBe(9);
    for (const name of used) expect(exposed).toContain(name);
  });

  it("has the four application services with their ports, all on loopback", () => {
    expect(Object.keys(p.services)).toEqual(["comfyui", "backend-worker", "mcp-server", "dgx-pixels-dev"]);
    const ports = Object.fromEntries(Object.entries(p.services).map(([n, s]) => [n, s.ports.map((x) => x.host ?? x.container)]));
    expect(ports).toEqual({ comfyui: [8188], "backend-worker": [5555, 5556, 8000], "mcp-server": [3001], "dgx-pixels-dev": [8001] });
    for (const s of Object.values(p.services)) for (const port of s.ports) expect(port.bind).toBe("127.0.0.1");
    expect(p.services["dgx-pixels-dev"].profile).toBe("dev");
    expect(p.services["dgx-pixels-dev"].memory).toBe("100g");
    expect(p.services["backend-worker"].dependsOn).toEqual([{ service: "comfyui", condition: "healthy" }]);
    expect(p.services["backend-worker"].metrics).toMatchObject({ port: 8000, interval: "15s" });
    expect(p.services.comfyui.metrics).toMatchObject({ port: 8188, path: "/metrics", interval: "30s" });
    expect(p.network).toEqual({ name: "dgx-pixels-net", subnet: "172.28.0.0/16", gateway: "172.28.0.1" });
  });

  it("keeps no observability service of its own", () => {
    expect(Object.values(p.services).some((s) => s.role === "observability")).toBe(false);
  });
});

describe("sparky blueprint", () => {
  const p = project("sparky");

  it("runs ollama on 11434 with a GPU and a kept model volume", () => {
    const ollama = p.services.ollama;
    expect(ollama.ports.map((x) => x.host ?? x.container)).toEqual([11434]);
    expect(ollama.gpu).toBeDefined();
    expect(ollama.healthcheck?.probe).toEqual({ http: { port: 11434, path: "/api/tags" } });
    expect(p.volumes["ollama-models"].keep).toBe(true);
  });

  it("pins every deployed image and never uses latest", () => {
    const deployed = Object.values(p.services).filter((s) => !s.planned);
    expect(deployed.length).toBeGreaterThan(0);
    for (const s of deployed) {
      expect("ref" in s.image).toBe(true);
      if ("ref" in s.image) expect(s.image.ref).toMatch(/:\d+\.\d+\.\d+$/);
    }
  });

  it("deploys only Ollama and the model pull; the Rust services and the three cadences are planned", () => {
    const model = validate("production");
    const sparky = model.hosts[0].projects.find((x) => x.project.id === "sparky")!;
    expect(Object.keys(sparky.services).sort()).toEqual(["ollama", "pull-model"]);
    const planned = Object.entries(p.services).filter(([, s]) => s.planned);
    expect(planned.map(([name]) => name).sort()).toEqual(
      ["analyzer", "collector", "daily", "generator", "monthly", "orchestrator", "publisher", "weekly"].sort(),
    );
    for (const [, s] of planned) expect(s.planned!.waitsFor).toMatch(/WS-04/);
  });

  it("pulls the model the scripts run, once Ollama is healthy, as a one-shot job", () => {
    const pull = p.services["pull-model"];
    expect({ kind: pull.kind, command: pull.command, env: pull.env, dependsOn: pull.dependsOn }).toEqual({
      kind: "job",
      command: ["pull", "llama3.2"],
      env: { OLLAMA_HOST: "http://ollama:11434" },
      dependsOn: [{ service: "ollama", condition: "healthy" }],
    });
    expect(pull.image).toEqual(p.services.ollama.image);
  });

  it("has the daily, weekly and monthly cadences as schedules in UTC, after the model is pulled", () => {
    const cadences = Object.fromEntries(["daily", "weekly", "monthly"].map((m) => [m, p.services[m]]));
    expect(Object.fromEntries(Object.entries(cadences).map(([m, s]) => [m, s.schedule]))).toEqual({
      daily: { cron: "0 0 * * *", timezone: "UTC", grace: "30m" },
      weekly: { cron: "0 8 * * 1", timezone: "UTC", grace: "30m" },
      monthly: { cron: "0 9 1 * *", timezone: "UTC", grace: "30m" },
    });
    for (const [mode, s] of Object.entries(cadences)) {
      expect(s.command).toEqual(["sh", "-c", `nu scripts/pipeline.nu ${mode} && nu scripts/publish.nu ${mode}`]);
      expect(s.dependsOn).toContainEqual({ service: "pull-model", condition: "completed" });
    }
  });

  it("invents no metrics, alert rules or host ports for what does not exist yet", () => {
    expect(p.alerts).toEqual([]);
    for (const s of Object.values(p.services).filter((x) => x.planned)) expect([s.metrics, s.ports]).toEqual([undefined, []]);
  });

  it("has a full plan", () => {
    expect(p.workstreams).toHaveLength(18);
    expect(p.network.name).toBe("sparky-net");
    expect(p.repository.requiredChecks).toContain("CI Summary");
  });
});
