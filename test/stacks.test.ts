import * as path from "node:path";
import { Testing } from "cdktf";
import type { ResolvedSystem } from "../constructs/model";
import { validateModel } from "../constructs/model/validate";
import { defineSystem } from "../stacks/system";
import { tinyConfig, tinyProject } from "../support/fixtures";

function synthSystem(model: ResolvedSystem) {
  const app = Testing.app();
  const stacks = defineSystem(app, model, path.dirname(app.outdir));
  return { app, stacks };
}

const parse = (json: string) =>
  JSON.parse(json) as { resource: Record<string, Record<string, any>>; variable?: Record<string, any>; terraform: any; provider: any };

describe("stacks synthesized from the model", () => {
  const model = validateModel(tinyConfig(), [tinyProject()]);
  const { stacks } = synthSystem(model);
  const services = Testing.synth(stacks.services.tiny);
  const observability = Testing.synth(stacks.observability.box);
  const github = Testing.synth(stacks.github.tiny);

  test("one services and one github stack per project, one observability stack per host", () => {
    expect(Object.keys(stacks.services)).toEqual(["tiny"]);
    expect(Object.keys(stacks.github)).toEqual(["tiny"]);
    expect(Object.keys(stacks.observability)).toEqual(["box"]);
    expect(stacks.services.tiny.node.id).toBe("tiny-services");
    expect(stacks.observability.box.node.id).toBe("box-observability");
    expect(stacks.services.tiny.dependencies).toContain(stacks.observability.box);
  });

  test("the docker provider is configured from the host", () => {
    expect(Testing.toHaveProviderWithProperties(services, "docker", { host: "unix:///var/run/docker.sock" })).toBe(true);
  });

  test("containers get loopback ports, canonical healthcheck durations and explicit memory swap", () => {
    expect(
      Testing.toHaveResourceWithProperties(services, "docker_container", {
        name: "tiny-model",
        ports: [{ internal: 8188, external: 8188, ip: "127.0.0.1", protocol: "tcp" }],
        gpus: "all",
        restart: "unless-stopped",
        security_opts: ["no-new-privileges:true"],
        healthcheck: {
          test: ["CMD", "curl", "-f", "http://localhost:8188/"],
          interval: "30s",
          timeout: "10s",
          start_period: "30s",
          retries: 3,
        },
        log_opts: { "max-size": "50m", "max-file": "3" },
      }),
    ).toBe(true);
  });

  test("a health-gated dependency waits for health and orders creation", () => {
    const json = parse(services);
    const model = Object.values(json.resource.docker_container).find((c) => c.name === "tiny-model");
    const worker = Object.values(json.resource.docker_container).find((c) => c.name === "tiny-worker");
    expect(model.wait).toBe(true);
    expect(model.wait_timeout).toBeGreaterThanOrEqual(60);
    expect(worker.depends_on).toEqual(["docker_container.model"]);
  });

  test("kept volumes are left to Docker, others are managed; scraped services join the observability network", () => {
    const json = parse(services);
    expect(Object.values(json.resource.docker_volume).map((v) => v.name)).toEqual(["tiny-scratch"]);
    const model = Object.values(json.resource.docker_container).find((c) => c.name === "tiny-model");
    expect(model.networks_advanced.map((n: { name: string }) => n.name)).toEqual([
      "${docker_network.tiny-net.name}",
      "sparky-observability",
    ]);
    expect(model.volumes).toEqual([{ volume_name: "tiny-models", container_path: "/models", read_only: false }]);
  });

  test("the observability network has the host's fixed subnet, so Docker never hands that range to another network", () => {
    expect(
      Testing.toHaveResourceWithProperties(observability, "docker_network", {
        name: "sparky-observability",
        ipam_config: [{ subnet: "172.30.0.0/24", gateway: "172.30.0.1" }],
      }),
    ).toBe(true);
  });

  test("the network pins subnet and gateway when the model sets them", () => {
    expect(
      Testing.toHaveResourceWithProperties(services, "docker_network", {
        name: "tiny-net",
        driver: "bridge",
        ipam_config: [{ subnet: "172.31.250.0/24", gateway: "172.31.250.1" }],
      }),
    ).toBe(true);
  });

  test("state lives outside cdktf.out, one file per stack", () => {
    expect(parse(services).terraform.backend.local.path).toBe("../../../.state/tiny-services.tfstate");
    expect(parse(github).terraform.backend.local.path).toBe("../../../.state/tiny-github.tfstate");
  });

  test("the observability stack runs the host set and the Grafana password is a sensitive variable", () => {
    const json = parse(observability);
    const names = Object.values(json.resource.docker_container)
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(["box-obs-dcgm-exporter", "box-obs-grafana", "box-obs-node-exporter", "box-obs-prometheus"]);
    expect(json.variable?.GRAFANA_ADMIN_PASSWORD).toEqual(expect.objectContaining({ sensitive: true, type: "string" }));
    const grafana = Object.values(json.resource.docker_container).find((c) => c.name === "box-obs-grafana");
    expect(grafana.env).toContain("GF_SECURITY_ADMIN_PASSWORD=${var.GRAFANA_ADMIN_PASSWORD}");
    expect(grafana.env).toContain("GF_USERS_ALLOW_SIGN_UP=false");
  });

  test("the github provider has the owner and no token", () => {
    expect(Testing.toHaveProviderWithProperties(github, "github", { owner: "acme" })).toBe(true);
    expect(github).not.toMatch(/token/i);
  });

  test("dev-profile services are skipped unless the target enables the profile", () => {
    const project: any = tinyProject();
    project.services.shell = { role: "dev", description: "dev shell", image: { ref: "example/dev:1" }, profile: "dev" };
    const skip = synthSystem(validateModel(tinyConfig(), [project]));
    expect(Testing.synth(skip.stacks.services.tiny)).not.toContain("tiny-shell");
    const config: any = tinyConfig();
    config.targets.box.profiles = ["dev"];
    const keep = synthSystem(validateModel(config, [project]));
    expect(Testing.synth(keep.stacks.services.tiny)).toContain("tiny-shell");
  });

  test("a local image set swaps in stand-ins with their probe as healthcheck", () => {
    const config: any = tinyConfig();
    config.targets.box.images = "local";
    const local = synthSystem(validateModel(config, [tinyProject()]));
    const json = parse(Testing.synth(local.stacks.services.tiny));
    const model = Object.values(json.resource.docker_container).find((c) => c.name === "tiny-model");
    expect(model.healthcheck.test).toEqual(["CMD", "/bin/probe", "http://127.0.0.1:8188/"]);
    expect(model.env).toEqual(expect.arrayContaining(["STANDIN_HTTP_PORTS=8188", "STANDIN_METRICS=model_requests_total"]));
    expect(Object.values(json.resource.docker_image).map((i) => i.name)).toContain("sparky-local/standin:dev");
  });
});
