import type { ProjectInput } from "../../constructs/model";

/** Where a dgx-pixels checkout (the compose file's `..`) lives on the Docker host, for its bind mounts. */
const ROOT = "/srv/dgx-pixels";

/** Every image builds from the checkout's root, as compose's `context: ..` does (the checkout: the project's sourceRoot). */
const build = (dockerfile: string) => ({ build: { context: ".", dockerfile, args: {} } });

/** The GPU the Spark has, with the driver capabilities compose names. */
const GPU: NonNullable<ProjectInput["services"][string]["gpu"]> = { capabilities: ["gpu", "compute", "utility"] };

export const network: ProjectInput["network"] = { name: "dgx-pixels-net", subnet: "172.28.0.0/16", gateway: "172.28.0.1" };

export const services: ProjectInput["services"] = {
  comfyui: {
    role: "ml",
    description: "ComfyUI server running SDXL (+LoRA) workflows on the GB10 GPU.",
    image: { ...build("docker/Dockerfile.comfyui"), tag: "dgx-pixels-comfyui:latest" },
    containerName: "dgx-pixels-comfyui",
    hostname: "comfyui",
    command: ["python", "main.py", "--listen", "0.0.0.0", "--port", "8188"],
    workingDir: "/workspace/ComfyUI",
    ports: [{ container: 8188, bind: "127.0.0.1", description: "ComfyUI web UI and HTTP API" }],
    env: { NVIDIA_VISIBLE_DEVICES: "all", CUDA_VISIBLE_DEVICES: "0", PYTHONUNBUFFERED: "1" },
    volumes: [
      { hostPath: `${ROOT}/ComfyUI`, target: "/workspace/ComfyUI" },
      { volume: "comfyui-models", target: "/workspace/models" },
      { hostPath: `${ROOT}/workflows`, target: "/workspace/workflows", readOnly: true },
      { volume: "comfyui-outputs", target: "/workspace/outputs" },
    ],
    shmSize: "16g",
    gpu: GPU,
    // One SDXL model at FP16 within WS-04's 80 GB ceiling.
    memory: "80g",
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
      honorLabels: true,
      keep: "comfyui_.*",
    },
  },

  "backend-worker": {
    role: "backend",
    description:
      "Python ZeroMQ worker: takes generation jobs (REQ-REP 5555), publishes progress (PUB-SUB 5556), drives ComfyUI and exports metrics on 8000.",
    image: { ...build("docker/Dockerfile.backend"), tag: "dgx-pixels-backend:latest" },
    containerName: "dgx-pixels-backend",
    hostname: "backend-worker",
    command: ["python", "-m", "python.workers.zmq_server"],
    workingDir: "/app",
    ports: [
      { container: 5555, bind: "127.0.0.1", description: "ZeroMQ REQ-REP job submission" },
      { container: 5556, bind: "127.0.0.1", description: "ZeroMQ PUB-SUB progress events" },
      { container: 8000, bind: "127.0.0.1", description: "Prometheus metrics" },
    ],
    env: {
      NVIDIA_VISIBLE_DEVICES: "all",
      ZMQ_REQ_REP_ADDR: "tcp://0.0.0.0:5555",
      ZMQ_PUB_SUB_ADDR: "tcp://0.0.0.0:5556",
      COMFYUI_URL: "http://comfyui:8188",
      PYTHONUNBUFFERED: "1",
      PYTHONDONTWRITEBYTECODE: "1",
    },
    volumes: [
      { hostPath: `${ROOT}/python`, target: "/app/python" },
      { hostPath: `${ROOT}/workflows`, target: "/app/workflows", readOnly: true },
      { hostPath: `${ROOT}/models`, target: "/app/models", readOnly: true },
      { volume: "backend-outputs", target: "/app/outputs" },
      { hostPath: `${ROOT}/config`, target: "/app/config", readOnly: true },
      { volume: "backend-logs", target: "/app/logs" },
    ],
    gpu: GPU,
    // The worker drives ComfyUI and loads no model of its own.
    memory: "8g",
    healthcheck: {
      test: [
        "CMD",
        "python3",
        "-c",
        "import zmq; ctx = zmq.Context(); sock = ctx.socket(zmq.REQ); sock.setsockopt(zmq.RCVTIMEO, 5000); sock.connect('tcp://localhost:5555'); sock.close(); ctx.term()",
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
      honorLabels: true,
    },
  },

  "mcp-server": {
    role: "mcp",
    description: "FastMCP server exposing sprite generation and Bevy deployment tools (stdio by default, optional HTTP on 3001).",
    image: { ...build("docker/Dockerfile.mcp"), tag: "dgx-pixels-mcp:latest" },
    containerName: "dgx-pixels-mcp",
    hostname: "mcp-server",
    command: ["python", "-m", "mcp_server.server"],
    workingDir: "/app",
    ports: [{ container: 3001, bind: "127.0.0.1", description: "MCP HTTP transport (optional; stdio is the default)" }],
    env: {
      ZMQ_ENDPOINT: "tcp://backend-worker:5555",
      COMFYUI_URL: "http://comfyui:8188",
      PYTHONUNBUFFERED: "1",
      DGX_PIXELS_CONFIG: "/app/config/mcp_config.yaml",
    },
    // A thin API; the limit counts it in the host's memory budget.
    memory: "2g",
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
    image: { ...build("docker/Dockerfile"), tag: "dgx-pixels:dev" },
    containerName: "dgx-pixels-dev",
    hostname: "dgx-pixels",
    command: ["/bin/bash"],
    interactive: true,
    ports: [{ container: 8001, bind: "127.0.0.1", description: "Development server port" }],
    env: { NVIDIA_VISIBLE_DEVICES: "all", CUDA_VISIBLE_DEVICES: "0", PYTHONUNBUFFERED: "1" },
    volumes: [
      { hostPath: ROOT, target: "/workspace" },
      { volume: "models", target: "/models" },
      { volume: "outputs", target: "/outputs" },
      { volume: "config", target: "/config" },
    ],
    gpu: GPU,
    healthcheck: {
      test: ["CMD", "python3", "-c", "import torch; assert torch.cuda.is_available()"],
      probe: { tcp: { port: 8001 } },
      interval: "30s",
      timeout: "10s",
      startPeriod: "10s",
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
