import { Construct } from "constructs";
import type { ServiceSpec } from "../model";
import { DockerService, DockerServiceProps } from "./docker-service";

const atLeast = (value: number, minimum: number) => Math.max(value, minimum);

/**
 * A GPU inference server (ComfyUI, Ollama, vLLM): gets the GPU, shared memory for PyTorch, and time to
 * finish in-flight generations before it is removed.
 */
export class GpuInferenceService extends DockerService {
  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    const spec: ServiceSpec = {
      ...props.spec,
      shmSize: props.spec.shmSize ?? "2g",
      stopGraceSeconds: atLeast(props.spec.stopGraceSeconds, 30),
    };
    super(scope, id, { ...props, spec });
  }
}

/** A queue worker: drains its jobs on stop, so it gets a longer grace period. */
export class BackendWorker extends DockerService {
  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id, { ...props, spec: { ...props.spec, stopGraceSeconds: atLeast(props.spec.stopGraceSeconds, 30) } });
  }
}

/** An MCP server: a thin API in front of the backend; it never gets a GPU. */
export class McpServer extends DockerService {
  constructor(scope: Construct, id: string, props: DockerServiceProps) {
    super(scope, id, { ...props, spec: { ...props.spec, gpu: undefined } });
  }
}

/** The construct that fits a service's role. */
export function serviceConstructFor(spec: ServiceSpec): typeof DockerService {
  switch (spec.role) {
    case "ml":
      return GpuInferenceService;
    case "backend":
      return BackendWorker;
    case "mcp":
      return McpServer;
    default:
      return DockerService;
  }
}
