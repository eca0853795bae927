import type { ProjectInput } from "../../constructs/model";

/** Where a dgx-pixels checkout (the compose file's `..`) lives on the Docker host. */
const ROOT = "/srv/dgx-pixels";

const GPU_ENV = { NVIDIA_VISIBLE_DEVICES: "all", CUDA_VISIBLE_DEVICES: "0" };
const PYTHON_ENV = { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };

export const network: ProjectInput["network"] = { name: "dgx-pixels-net", subnet: "172.28.0.0/16", gateway: "172.28.0.1" };

export const services: ProjectInput["services"] = {
  comfyui: {
    role: "ml",
    description: "ComfyUI server running SDXL (+LoRA) workflows on the GB10 GPU.",
    image: {
      build: { context: "../dgx-pixels", dockerfile: "docker/Dockerfile.comfyui", args: {} },
      tag: "dgx-pixels-comfyui:latest",
    },
    hostname: "comfyui",
    ports: [{ container: 8188, bind: "127.0.0.1", description: "ComfyUI web UI and HTTP API" }],
    env: { ...GPU_ENV, ...PYTHON_ENV },
    volumes: [
      { hostPath: `${ROOT}/ComfyUI`, target: "/workspace/ComfyUI" },
      { volume: "comfyui-models", target: "/workspace/models" },
      { hostPath: `${ROOT}/workflows`, target: "/workspace/workflows", readOnly: true },
      { volume: "comfyui-outputs", target: "/workspace/outputs" },
    ],
    shmSize: "16g",
    gpu: { capabilities: ["gpu", "compute", "utility"] },
    healthcheck: {
      test: ["CMD", "curl", "-f", "http://localhost:8188/system_stats"],
      probe: { http: { port: 8188, path: "/system_stats" } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "60s",
      retries: 3,
    },
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
    metrics: {
      port: 8188,
      path: "/metrics",
      interval: "30s",
      timeout: "10s",
      exposes: ["comfyui_workflow_queue_depth"],
      labels: { component: "comfyui" },
    },
  },

  "backend-worker": {
    role: "backend",
    description:
      "Python ZeroMQ worker: takes generation jobs (REQ-REP 5555), publishes progress (PUB-SUB 5556), drives ComfyUI and exports metrics on 8000.",
    image: {
      build: { context: "../dgx-pixels", dockerfile: "docker/Dockerfile.backend", args: {} },
      tag: "dgx-pixels-backend:latest",
    },
    hostname: "backend-worker",
    ports: [
      { container: 5555, bind: "127.0.0.1", description: "ZeroMQ REQ-REP job submission" },
      { container: 5556, bind: "127.0.0.1", description: "ZeroMQ PUB-SUB progress events" },
      { container: 8000, bind: "127.0.0.1", description: "Prometheus metrics" },
    ],
    env: { ...GPU_ENV, ...PYTHON_ENV, COMFYUI_URL: "http://comfyui:8188" },
    volumes: [
      { hostPath: `${ROOT}/python`, target: "/app/python" },
      { hostPath: `${ROOT}/workflows`, target: "/app/workflows", readOnly: true },
      { hostPath: `${ROOT}/models`, target: "/app/models", readOnly: true },
      { volume: "backend-outputs", target: "/app/outputs" },
      { hostPath: `${ROOT}/config`, target: "/app/config", readOnly: true },
      { volume: "backend-logs", target: "/app/logs" },
    ],
    gpu: { capabilities: ["gpu", "compute", "utility"] },
    healthcheck: {
      test: [
        "CMD",
        "python3",
        "-c",
        "import zmq; s = zmq.Context().socket(zmq.REQ); s.setsockopt(zmq.RCVTIMEO, 5000); s.connect('tcp://localhost:5555')",
      ],
      probe: { tcp: { port: 5555 } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "30s",
      retries: 3,
    },
    dependsOn: [{ service: "comfyui", condition: "healthy" }],
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
    metrics: {
      port: 8000,
      path: "/metrics",
      interval: "15s",
      timeout: "10s",
      exposes: [
        "dgx_pixels_images_generated_total",
        "dgx_pixels_generation_failures_total",
        "dgx_pixels_generation_duration_seconds_bucket",
        "dgx_pixels_active_jobs",
        "dgx_pixels_queue_depth",
        "dgx_pixels_system_info",
        "zmq_message_queue_depth",
        "zmq_connection_errors_total",
        "zmq_messages_sent_total",
        "zmq_messages_received_total",
        "zmq_message_latency_seconds_bucket",
        "comfyui_api_errors_total",
        "comfyui_api_latency_seconds_bucket",
        "comfyui_workflow_queue_depth",
      ],
      labels: { component: "backend", language: "python" },
    },
  },

  "mcp-server": {
    role: "mcp",
    description: "FastMCP server exposing sprite generation and Bevy deployment tools (stdio by default, optional HTTP on 3001).",
    image: {
      build: { context: "../dgx-pixels", dockerfile: "docker/Dockerfile.mcp", args: {} },
      tag: "dgx-pixels-mcp:latest",
    },
    hostname: "mcp-server",
    ports: [{ container: 3001, bind: "127.0.0.1", description: "MCP HTTP transport (optional; stdio is the default)" }],
    env: {
      ...PYTHON_ENV,
      COMFYUI_URL: "http://comfyui:8188",
      ZMQ_ENDPOINT: "tcp://backend-worker:5555",
      DGX_PIXELS_CONFIG: "/app/config/mcp_config.yaml",
    },
    volumes: [
      { hostPath: `${ROOT}/python/mcp_server`, target: "/app/mcp_server" },
      { hostPath: `${ROOT}/config`, target: "/app/config", readOnly: true },
      { volume: "backend-outputs", target: "/app/outputs", readOnly: true },
      { volume: "mcp-logs", target: "/app/logs" },
    ],
    healthcheck: {
      test: ["CMD", "python3", "-c", "from mcp_server import server"],
      probe: { tcp: { port: 3001 } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "30s",
      retries: 3,
    },
    dependsOn: [{ service: "backend-worker", condition: "healthy" }],
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
  },

  "dgx-pixels-dev": {
    role: "dev",
    description: "Reproducible development container (NGC PyTorch 24.11) with the whole checkout mounted at /workspace.",
    image: {
      build: { context: "../dgx-pixels", dockerfile: "docker/Dockerfile", args: {} },
      tag: "dgx-pixels:dev",
    },
    hostname: "dgx-pixels",
    command: ["sleep", "infinity"],
    ports: [{ container: 8001, bind: "127.0.0.1", description: "Development server port" }],
    env: { ...GPU_ENV, ...PYTHON_ENV },
    volumes: [
      { hostPath: ROOT, target: "/workspace" },
      { volume: "models", target: "/models" },
      { volume: "outputs", target: "/outputs" },
      { volume: "config", target: "/config" },
    ],
    gpu: { capabilities: ["gpu", "compute", "utility"] },
    healthcheck: {
      test: ["CMD", "python3", "-c", "import torch; assert torch.cuda.is_available()"],
      probe: { tcp: { port: 8001 } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "5s",
      retries: 3,
    },
    restart: "unless-stopped",
    securityOpts: ["no-new-privileges:true"],
    memory: "100g",
    shmSize: "16g",
    profile: "dev",
  },
};

export const volumes: NonNullable<ProjectInput["volumes"]> = {
  "comfyui-models": { keep: true },
  "comfyui-outputs": { keep: true },
  "backend-outputs": { keep: true },
  "backend-logs": { keep: false },
  "mcp-logs": { keep: false },
  models: { hostPath: `${ROOT}/models`, keep: true },
  outputs: { hostPath: `${ROOT}/outputs`, keep: true },
  config: { hostPath: `${ROOT}/config`, keep: true },
};
