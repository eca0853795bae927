import { randomBytes } from "node:crypto";
import type { DeploymentConfigInput, ProjectInput } from "../constructs/model";

/** A project id no other run on the same Docker engine uses, e.g. "drift-3fa09c". */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString("hex")}`;
}

/** A small, valid project; tests copy it and break one thing at a time. */
export function tinyProject(id = "tiny"): ProjectInput {
  return {
    id,
    name: "Tiny",
    description: "A minimal project for tests",
    repository: { name: id, description: "tiny repo", requiredChecks: ["test"] },
    startDate: "2026-01-05",
    milestones: [
      { id: "M0", name: "Start", goal: "Begin" },
      { id: "M1", name: "Finish", goal: "End" },
    ],
    meta: { name: "Meta", description: "Runs it all", agentType: "planner" },
    orchestrators: [{ id: "core", name: "Core", domain: "core", milestones: ["M0", "M1"], ownedPaths: ["src/"], agentType: "dev" }],
    workstreams: [workstream("WS-01", "M0", []), workstream("WS-02", "M1", ["WS-01"]), workstream("WS-03", "M1", ["WS-01", "WS-02"])],
    gates: [{ id: "gate-1", name: "Gate 1", owner: "meta", from: ["M0"], to: ["M1"], after: ["WS-01"], criteria: ["it works"] }],
    network: { name: `${id}-net`, subnet: "172.31.250.0/24", gateway: "172.31.250.1" },
    volumes: { models: { keep: true }, scratch: {} },
    services: {
      model: {
        role: "ml",
        description: "inference",
        image: { ref: "example/model:1.0" },
        ports: [{ container: 8188 }],
        gpu: {},
        volumes: [{ volume: "models", target: "/models" }],
        healthcheck: { test: ["CMD", "curl", "-f", "http://localhost:8188/"], probe: { http: { port: 8188, path: "/" } } },
        metrics: { port: 8188, exposes: ["model_requests_total"] },
      },
      worker: {
        role: "backend",
        description: "worker",
        image: { ref: "example/worker:1.0" },
        ports: [{ container: 5555 }],
        dependsOn: [{ service: "model", condition: "healthy" }],
        env: { LOG_LEVEL: "info" },
      },
    },
  };
}

function workstream(id: string, milestone: string, dependsOn: string[]) {
  return {
    id,
    name: `Work ${id}`,
    orchestrator: "core",
    milestone,
    dependsOn,
    durationDays: { min: 1, max: 2 },
    priority: "P0" as const,
    agentTypes: ["dev"],
    objective: "Do the work",
    deliverables: ["a thing"],
    acceptanceCriteria: ["the thing works"],
  };
}

export function tinyConfig(projects: string[] = ["tiny"], gpus = true): DeploymentConfigInput {
  return {
    github: { owner: "acme" },
    hosts: { box: { dockerHost: "unix:///var/run/docker.sock", gpus, arch: "amd64", projects } },
    targets: { box: { hosts: ["box"] } },
    defaultTarget: "box",
  };
}
