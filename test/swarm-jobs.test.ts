// Jobs and schedules on a swarm (kreuzwerker/docker 3.6.2 has no swarm job mode): a one-shot job is one task that is
// never restarted, whose run the deploy awaits; a scheduled job is one long-running task whose entrypoint is supercronic,
// its crontab a Docker config, and on production images supercronic is added to the job's image on every node.
import { Testing } from "cdktf";
import { SCHEDULER_BUILD, schedulerEntrypoint, SUPERCRONIC } from "../constructs/model";
import { validateModel } from "../constructs/model/validate";
import { defineSystem } from "../stacks/system";
import { jobsProject } from "../support/jobs-fixture";
import { PAIR_TARGET, swarmConfig } from "../support/swarm-config";
import { REPO_ROOT } from "../tools/engine/toolchain";

type Json = Record<string, any>;

function synth(images: "local" | "production") {
  const config = swarmConfig({
    manager: { name: "node-a", dockerHost: "unix:///run/a.sock", gpus: false },
    worker: { name: "node-b", dockerHost: "unix:///run/b.sock", gpus: true, projects: ["jobs"] },
    stateDir: "/tmp/state",
    images,
  });
  const model = validateModel(config, [jobsProject("jobs")], { target: PAIR_TARGET });
  const stacks = defineSystem(Testing.app(), model, REPO_ROOT);
  return JSON.parse(Testing.synth(stacks.services.jobs)) as { resource: Record<string, Record<string, Json>> };
}

const labels = (list: { label: string; value: string }[]) => Object.fromEntries(list.map((l) => [l.label, l.value]));

describe("jobs on a swarm with local images", () => {
  const { resource } = synth("local");
  const services = resource.docker_service;

  test("the planned service is nowhere; every other service is a swarm service", () => {
    expect(Object.keys(services).sort()).toEqual(["ollama", "pull-model", "tick", "worker"]);
  });

  test("a one-shot job: one task never restarted, labelled as a job, not converged; its dependent comes after it", () => {
    const job = services["pull-model"];
    expect(job.mode).toEqual({ replicated: { replicas: 1 } });
    expect(job.task_spec.restart_policy).toMatchObject({ condition: "none" });
    expect(job.converge_config).toBeUndefined();
    expect(job.task_spec.container_spec.healthcheck).toBeUndefined();
    expect(job.task_spec.container_spec.args).toEqual(["ollama", "pull", "llama3.2"]);
    expect(labels(job.labels)).toMatchObject({ "sparky.kind": "job" });
    expect(services.worker.depends_on).toContain("docker_service.pull-model");
    expect(labels(services.worker.labels)["sparky.kind"]).toBeUndefined();
  });

  test("a scheduled job: supercronic from the local scheduler image, its crontab a Docker config, restarted as a service", () => {
    const tick = services.tick;
    const spec = tick.task_spec.container_spec;
    expect(spec.image).toBe("sparky-local/scheduler:dev");
    expect(spec.command).toEqual(schedulerEntrypoint());
    expect(spec.args).toEqual([SUPERCRONIC.crontab]);
    expect(spec.configs.map((c: Json) => c.file_name)).toEqual([SUPERCRONIC.crontab]);
    expect(tick.mode).toEqual({ replicated: { replicas: 1 } });
    expect(tick.task_spec.restart_policy.condition).toBe("any");
    expect(labels(tick.labels)["sparky.kind"]).toBeUndefined();
    const crontab = Object.values(resource.docker_config).find((c) => c.name.startsWith("jobs-tick-"))!;
    expect(Buffer.from(crontab.data, "base64").toString("utf8")).toMatch(/^CRON_TZ=UTC\n.*\/bin\/standin.*job/m);
  });
});

describe("jobs on a swarm with production images", () => {
  const { resource } = synth("production");

  test("supercronic is added to the job's image on every node it may run on, through that node's engine", () => {
    const tick = resource.docker_service.tick;
    const nodes = Object.keys(resource.docker_image)
      .filter((k) => k.startsWith("tick-scheduler_"))
      .sort();
    expect(nodes.length).toBeGreaterThan(0);
    for (const address of nodes) {
      const image = resource.docker_image[address];
      expect(image.build).toMatchObject({ context: `${REPO_ROOT}/${SCHEDULER_BUILD.context}`, dockerfile: SCHEDULER_BUILD.dockerfile });
      expect(image.name).toBe(tick.task_spec.container_spec.image);
      if (address.endsWith("_node-b")) expect(image.provider).toBe("docker.node-b");
      expect(labels(tick.task_spec.container_spec.labels)[`sparky.image.${address.slice("tick-scheduler_".length)}`]).toBe(
        `\${docker_image.${address}.image_id}`,
      );
    }
    // A pulled image that is not a scheduled job's runs by its digest.
    expect(resource.docker_service.ollama.task_spec.container_spec.image).toMatch(/^\$\{docker_image\.ollama_node-b\.repo_digest\}$/);
  });
});
