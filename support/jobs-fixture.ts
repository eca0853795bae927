// A small project with every kind of service the jobs model knows, shared by the unit tests and the jobs e2e suite:
// Ollama, the one-shot job that pulls a model into it, a worker that waits for that job, a job on a schedule, and a
// planned service with the metric and the rule that wait for it.
import type { ProjectInput } from "../constructs/model";
import { tinyProject } from "./fixtures";

export const OLLAMA_IMAGE = "ollama/ollama:0.12.6";
export const PULLED_MODEL = "llama3.2";

export interface JobsProjectOptions {
  /** Host ports of Ollama and the worker (default: their container ports). */
  ports?: { ollama?: number; worker?: number };
  /** The schedule of `tick` (default every 5 seconds). */
  cron?: string;
  /** Healthcheck timings of Ollama: short for tests that deploy. */
  fast?: boolean;
}

export function jobsProject(id: string, options: JobsProjectOptions = {}): ProjectInput {
  const project = tinyProject(id);
  const check = options.fast ? { interval: "1s", timeout: "2s", startPeriod: "1s", retries: 20 } : {};
  project.network = { name: `${id}-net` };
  project.volumes = { "ollama-models": { keep: true } };
  project.services = {
    ollama: {
      role: "ml",
      description: "Ollama",
      image: { ref: OLLAMA_IMAGE },
      ports: [{ container: 11434, host: options.ports?.ollama }],
      volumes: [{ volume: "ollama-models", target: "/root/.ollama" }],
      healthcheck: { test: ["CMD", "ollama", "list"], probe: { http: { port: 11434, path: "/api/tags" } }, ...check },
    },
    "pull-model": {
      role: "backend",
      kind: "job",
      description: "pulls the model into Ollama",
      image: { ref: OLLAMA_IMAGE },
      command: ["pull", PULLED_MODEL],
      env: { OLLAMA_HOST: "http://ollama:11434" },
      dependsOn: [{ service: "ollama", condition: "healthy" }],
    },
    worker: {
      role: "backend",
      description: "uses the pulled model",
      image: { ref: "example/worker:1.0" },
      ports: [{ container: 5555, host: options.ports?.worker }],
      dependsOn: [{ service: "pull-model", condition: "completed" }],
    },
    tick: {
      role: "backend",
      kind: "job",
      description: "a scheduled run",
      image: { ref: "example/pipeline:1.0" },
      command: ["nu", "scripts/pipeline.nu", "daily"],
      schedule: { cron: options.cron ?? "*/5 * * * * * *", timezone: "UTC", grace: "10s" },
    },
    later: {
      role: "backend",
      description: "not built yet",
      image: { ref: "example/later:1.0" },
      metrics: { port: 8080, exposes: ["later_runs_total"] },
      planned: { waitsFor: "the WS-02 crate", workstreams: ["WS-02"] },
    },
  };
  project.alerts = [
    {
      name: "later",
      rules: [
        {
          alert: "LaterStalled",
          expr: "rate(later_runs_total[1h]) == 0",
          severity: "warning",
          summary: "later stalled",
          description: "waits for the planned service",
        },
        {
          alert: "TickDown",
          expr: `up{job="${id}-tick"} == 0`,
          severity: "warning",
          summary: "tick down",
          description: "watches a deployed job",
        },
      ],
    },
  ];
  return project;
}
