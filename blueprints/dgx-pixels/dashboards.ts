import type { ProjectInput } from "../../constructs/model";

/** `{gpu="$gpu_id"}`: the GPU picked in the GPU dashboard's variable. */
const onGpu = (metric: string) => `${metric}{gpu="$gpu_id"}`;

/**
 * The three dashboards of deploy/grafana/dashboards/, panel by panel: same uids, titles, refresh, variable and
 * queries, with the scrape jobs under their generated names and disk space on "/" (see decisions).
 */
export const dashboards: NonNullable<ProjectInput["dashboards"]> = [
  {
    uid: "dgx-pixels-gpu",
    title: "DGX-Pixels GPU Performance",
    tags: ["dgx-pixels", "gpu", "performance"],
    refresh: "5s",
    timeRange: "15m",
    variables: [{ name: "gpu_id", metric: "DCGM_FI_DEV_GPU_UTIL", label: "gpu" }],
    panels: [
      { title: "GPU Utilization", kind: "gauge", unit: "percent", queries: [{ expr: onGpu("DCGM_FI_DEV_GPU_UTIL") }] },
      {
        title: "VRAM Usage",
        kind: "gauge",
        unit: "gbytes",
        queries: [
          { expr: `${onGpu("DCGM_FI_DEV_FB_USED")} / 1024`, legend: "Used" },
          { expr: `${onGpu("DCGM_FI_DEV_FB_TOTAL")} / 1024`, legend: "Total" },
        ],
      },
      {
        title: "GPU Temperature",
        unit: "celsius",
        queries: [
          { expr: onGpu("DCGM_FI_DEV_GPU_TEMP"), legend: "GPU Temp" },
          { expr: onGpu("DCGM_FI_DEV_MEMORY_TEMP"), legend: "Memory Temp" },
        ],
      },
      {
        title: "Power Consumption",
        unit: "watt",
        queries: [
          { expr: onGpu("DCGM_FI_DEV_POWER_USAGE"), legend: "Power Draw" },
          { expr: onGpu("DCGM_FI_DEV_POWER_MGMT_LIMIT"), legend: "Power Limit" },
        ],
      },
      {
        title: "Clock Speeds",
        unit: "hertz",
        queries: [
          { expr: `${onGpu("DCGM_FI_DEV_SM_CLOCK")} * 1000000`, legend: "SM Clock" },
          { expr: `${onGpu("DCGM_FI_DEV_MEM_CLOCK")} * 1000000`, legend: "Memory Clock" },
        ],
      },
      {
        title: "PCIe Throughput",
        unit: "Bps",
        queries: [
          { expr: `${onGpu("DCGM_FI_DEV_PCIE_TX_THROUGHPUT")} * 1024`, legend: "PCIe TX" },
          { expr: `${onGpu("DCGM_FI_DEV_PCIE_RX_THROUGHPUT")} * 1024`, legend: "PCIe RX" },
        ],
      },
      {
        title: "NVLink Bandwidth (Grace Blackwell C2C Interconnect)",
        unit: "Bps",
        wide: true,
        queries: [
          { expr: `${onGpu("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL")} * 1073741824`, legend: "NVLink Total Bandwidth" },
          { expr: `rate(${onGpu("DCGM_FI_PROF_NVLINK_TX_BYTES")}[1m])`, legend: "NVLink TX" },
          { expr: `rate(${onGpu("DCGM_FI_PROF_NVLINK_RX_BYTES")}[1m])`, legend: "NVLink RX" },
        ],
      },
    ],
  },
  {
    uid: "dgx-pixels-quality",
    title: "DGX-Pixels Generation Quality",
    tags: ["dgx-pixels", "generation", "quality"],
    refresh: "5s",
    timeRange: "1h",
    panels: [
      {
        title: "Images Generated per Second",
        kind: "gauge",
        unit: "images/s",
        queries: [{ expr: "rate(dgx_pixels_images_generated_total[1m])" }],
      },
      { title: "Active Jobs", kind: "stat", unit: "none", queries: [{ expr: "dgx_pixels_active_jobs" }] },
      { title: "Queue Depth", kind: "stat", unit: "none", queries: [{ expr: "dgx_pixels_queue_depth" }] },
      {
        title: "Generation Time (Avg, P50, P95, P99)",
        unit: "s",
        queries: [
          {
            expr: "rate(dgx_pixels_generation_duration_seconds_sum[5m]) / rate(dgx_pixels_generation_duration_seconds_count[5m])",
            legend: "Average",
          },
          ...[0.5, 0.95, 0.99].map((q) => ({
            expr: `histogram_quantile(${q.toFixed(2)}, rate(dgx_pixels_generation_duration_seconds_bucket[5m]))`,
            legend: `P${Math.round(q * 100)}`,
          })),
        ],
      },
      {
        title: "Generation Success Rate",
        unit: "percent",
        queries: [
          {
            expr: "(rate(dgx_pixels_images_generated_total[5m]) / (rate(dgx_pixels_images_generated_total[5m]) + rate(dgx_pixels_generation_failures_total[5m]))) * 100",
            legend: "Success Rate",
          },
        ],
      },
      { title: "Job Queue Depth Over Time", unit: "none", queries: [{ expr: "dgx_pixels_queue_depth", legend: "Queue Depth" }] },
      {
        title: "Failed Generations",
        unit: "short",
        queries: [{ expr: "increase(dgx_pixels_generation_failures_total[5m])", legend: "Failures (5m)" }],
      },
      {
        title: "24 Hour Summary",
        kind: "table",
        wide: true,
        queries: [
          { expr: "sum(increase(dgx_pixels_images_generated_total[24h]))", legend: "Images Generated" },
          { expr: "sum(increase(dgx_pixels_generation_failures_total[24h]))", legend: "Failures" },
          {
            expr: "(sum(increase(dgx_pixels_images_generated_total[24h])) / (sum(increase(dgx_pixels_images_generated_total[24h])) + sum(increase(dgx_pixels_generation_failures_total[24h])))) * 100",
            legend: "Success Rate",
          },
          {
            expr: "histogram_quantile(0.95, sum(rate(dgx_pixels_generation_duration_seconds_bucket[24h])) by (le))",
            legend: "P95 Latency (s)",
          },
        ],
      },
    ],
  },
  {
    uid: "dgx-pixels-health",
    title: "DGX-Pixels System Health",
    tags: ["dgx-pixels", "health", "system"],
    refresh: "10s",
    timeRange: "1h",
    panels: [
      { title: "Backend Status", kind: "stat", queries: [{ expr: 'up{job="dgx-pixels-backend-worker"}' }] },
      { title: "ComfyUI Status", kind: "stat", queries: [{ expr: 'up{job="dgx-pixels-comfyui"}' }] },
      { title: "DCGM Exporter Status", kind: "stat", queries: [{ expr: 'up{job="host-dcgm-exporter"}' }] },
      {
        title: "GPU XID Errors (Last Hour)",
        queries: [{ expr: "increase(DCGM_FI_DEV_XID_ERRORS[1h])", legend: "XID Errors (GPU {{gpu}})" }],
      },
      {
        title: "GPU ECC Memory Errors (Last Hour)",
        queries: [
          { expr: "increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[1h])", legend: "Double-Bit Errors (GPU {{gpu}})" },
          { expr: "increase(DCGM_FI_DEV_ECC_SBE_VOL_TOTAL[1h])", legend: "Single-Bit Errors (GPU {{gpu}})" },
        ],
      },
      { title: "Active Alerts", kind: "table", wide: true, queries: [{ expr: 'ALERTS{alertstate="firing"}', legend: "State" }] },
      {
        title: "System Memory Usage",
        unit: "percentunit",
        queries: [
          { expr: "(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) / node_memory_MemTotal_bytes", legend: "Memory Usage" },
        ],
      },
      {
        title: "Disk Space Usage",
        unit: "percentunit",
        queries: [
          { expr: '1 - (node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"})', legend: "/ Usage" },
        ],
      },
      { title: "System Uptime", kind: "stat", unit: "s", queries: [{ expr: "time() - node_boot_time_seconds" }] },
      { title: "Active Alert Count", kind: "stat", queries: [{ expr: 'count(ALERTS{alertstate="firing"})' }] },
    ],
  },
];
