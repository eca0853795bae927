// How jobs, schedules and planned services are synthesized for the Docker engine, on local and production images.
import * as path from "node:path";
import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { SCHEDULER_BUILD, SUPERCRONIC } from "../constructs/model";
import { validateModel } from "../constructs/model/validate";
import { defineSystem } from "../stacks/system";
import { jobsProject } from "../support/jobs-fixture";
import { tinyConfig } from "../support/fixtures";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { synthesizedConfigs } from "./fixtures/synth/generate";

function synth(images: "local" | "production") {
  const config: any = tinyConfig(["jobs"], false);
  config.targets.box.images = images;
  const model = validateModel(config, [jobsProject("jobs")]);
  const stacks = defineSystem(Testing.app(), model, REPO_ROOT);
  const tf = (stack: any) => JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, any>> };
  return { services: tf(stacks.services.jobs), observability: tf(stacks.observability.box), stacks };
}

describe("jobs on the local target", () => {
  const { services, observability, stacks } = synth("local");
  const containers = services.resource.docker_container;
  const images = services.resource.docker_image;

  test("the planned service is nowhere: no container, no image, no scrape job", () => {
    expect(Object.keys(containers).sort()).toEqual(["ollama", "pull-model", "tick", "worker"]);
    expect(Object.keys(images).sort()).toEqual(["ollama", "pull-model", "tick", "worker"]);
    expect(JSON.stringify(observability)).not.toContain("jobs-later");
  });

  test("a one-shot job: waited for until it exits, never restarted, its exit code checked; its dependent comes after it", () => {
    const job = containers["pull-model"];
    expect({
      must_run: job.must_run,
      attach: job.attach,
      restart: job.restart,
      command: job.command,
      healthcheck: job.healthcheck,
    }).toEqual({
      must_run: false,
      attach: true,
      restart: "no",
      command: ["ollama", "pull", "llama3.2"],
      healthcheck: undefined,
    });
    expect(job.lifecycle.postcondition).toEqual([
      {
        condition: "${self.exit_code == 0}",
        error_message: expect.stringMatching(/^job jobs-pull-model exited with \$\{self\.exit_code\}; /),
      },
    ]);
    expect(job.lifecycle.replace_triggered_by).toEqual(["docker_network.jobs-net"]);
    expect(job.depends_on).toEqual(["docker_container.ollama"]);
    expect(containers.worker.depends_on).toEqual(["docker_container.pull-model"]);
    expect(containers.ollama.env).toContain("STANDIN_OLLAMA_MODELS=/root/.ollama/models");
  });

  test("a scheduled job: supercronic from the local scheduler image reads the uploaded crontab and serves its metrics", () => {
    const tick = containers.tick;
    expect(images.tick.name).toBe("sparky-local/scheduler:dev");
    expect(tick.entrypoint).toEqual([SUPERCRONIC.binary, "-prometheus-listen-address", "0.0.0.0:9746"]);
    expect(tick.command).toEqual([SUPERCRONIC.crontab]);
    expect(tick.upload).toEqual([
      {
        file: SUPERCRONIC.crontab,
        content: expect.stringContaining(`CRON_TZ=UTC\n*/5 * * * * * * '/bin/standin' 'job' 'nu' 'scripts/pipeline.nu' 'daily'\n`),
      },
    ]);
    expect({ must_run: tick.must_run, restart: tick.restart, read_only: tick.read_only }).toEqual({
      must_run: true,
      restart: "unless-stopped",
      read_only: undefined,
    });
    expect(stacks.services.jobs.dependencies).toContain(stacks.observability.box);
  });

  test("Prometheus scrapes supercronic and gets the schedule rules, not the planned service's", () => {
    const prometheus = Object.values(observability.resource.docker_container).find((c: any) => c.name === "box-obs-prometheus");
    const file = (p: string) => prometheus.upload.find((u: any) => u.file === p).content as string;
    const config = parseYaml(file("/etc/prometheus/prometheus.yml"));
    const tick = config.scrape_configs.find((j: any) => j.job_name === "jobs-tick");
    expect(tick.static_configs[0].targets).toEqual(["jobs-tick:9746"]);
    const rules = parseYaml(file("/etc/prometheus/rules/jobs.yml"));
    expect(rules.groups.map((g: any) => [g.name, g.rules.map((r: any) => r.alert)])).toEqual([
      ["later", ["TickDown"]],
      ["jobs_tick_schedule", ["ScheduledJobFailed", "ScheduledJobMissed", "ScheduledJobDown"]],
    ]);
  });
});

describe("jobs on production images", () => {
  const { services } = synth("production");
  const containers = services.resource.docker_container;
  const images = services.resource.docker_image;

  test("a scheduled job's image is rebuilt FROM its own with supercronic added, on the host, for its platform", () => {
    expect(images.tick.name).toBe("example/pipeline:1.0");
    const scheduler = images["tick-scheduler"];
    expect(scheduler).toMatchObject({
      name: `sparky-infra/jobs-tick-scheduler:${SUPERCRONIC.version}`,
      keep_locally: true,
      depends_on: ["docker_image.tick"],
      platform: "linux/amd64",
      build: {
        context: path.join(REPO_ROOT, SCHEDULER_BUILD.context),
        dockerfile: "Dockerfile",
        build_args: { BASE_IMAGE: "example/pipeline:1.0", GO_IMAGE: SCHEDULER_BUILD.goImage, SUPERCRONIC_VERSION: SUPERCRONIC.version },
      },
      triggers: { context_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), base_image: "${docker_image.tick.image_id}" },
    });
    expect(containers.tick.image).toBe("${docker_image.tick-scheduler.image_id}");
    expect(containers.tick.upload[0].content).toContain(`*/5 * * * * * * 'nu' 'scripts/pipeline.nu' 'daily'\n`);
  });

  test("a one-shot job runs its image's entrypoint with its command", () => {
    expect(images["pull-model"].name).toBe("ollama/ollama:0.12.6");
    expect(containers["pull-model"].command).toEqual(["pull", "llama3.2"]);
    expect(containers["pull-model"].entrypoint).toBeUndefined();
  });
});

describe("SPARKY_TARGET=dgx", () => {
  const stacks = synthesizedConfigs("dgx");

  test("sparky-services holds only what can be pulled: Ollama and its model pull, from the public Ollama image", () => {
    const tf = JSON.parse(stacks["sparky-services"]);
    expect(Object.keys(tf.resource.docker_container).sort()).toEqual(["ollama", "pull-model"]);
    expect(Object.values(tf.resource.docker_image).map((i: any) => [i.name, i.build])).toEqual([
      ["ollama/ollama:0.12.6", undefined],
      ["ollama/ollama:0.12.6", undefined],
    ]);
  });

  test("no stack pulls an image of the sparky repository, which has none", () => {
    const images = Object.values(stacks).flatMap((config) =>
      Object.values((JSON.parse(config).resource?.docker_image ?? {}) as Record<string, { name: string }>).map((i) => i.name),
    );
    expect(images.length).toBeGreaterThan(5);
    expect(images.filter((name) => name.includes("raibid-labs/sparky"))).toEqual([]);
  });
});
