import { DcgmCounterGroupSchema, DcgmCounterGroupSpec, DcgmCounterSpec } from "./observability";

/** Where dcgm-exporter reads its counters file (its default `-f` path). */
export const DCGM_COUNTERS_PATH = "/etc/dcgm-exporter/default-counters.csv";

type Row = [name: string, type: DcgmCounterSpec["type"], help: string];

const group = (name: string, intervalMs: number, rows: Row[]): DcgmCounterGroupSpec =>
  DcgmCounterGroupSchema.parse({ name, intervalMs, counters: rows.map(([n, type, help]) => ({ name: n, type, help })) });

/**
 * The GPU counters dgx-pixels collects, in the seven groups of its DCGM config (41 fields). The source file was a
 * YAML `metricGroups` document mounted where the exporter expects a CSV; here the same fields are rendered in the
 * exporter's CSV format. Intervals are kept as documentation (the CSV format has none; the exporter collects
 * every field on its own `-c` interval).
 */
export const DCGM_COUNTER_GROUPS: readonly DcgmCounterGroupSpec[] = [
  group("gpu_utilization", 1000, [
    ["DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."],
    ["DCGM_FI_DEV_MEM_COPY_UTIL", "gauge", "Memory copy utilization (in %)."],
    ["DCGM_FI_DEV_ENC_UTIL", "gauge", "Video encoder utilization (in %)."],
    ["DCGM_FI_DEV_DEC_UTIL", "gauge", "Video decoder utilization (in %)."],
    ["DCGM_FI_DEV_SM_ACTIVE", "gauge", "Share of cycles with at least one warp resident on an SM (ratio)."],
    ["DCGM_FI_DEV_SM_OCCUPANCY", "gauge", "Resident warps relative to the SM maximum (ratio)."],
  ]),
  group("memory_metrics", 1000, [
    ["DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB)."],
    ["DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB)."],
    ["DCGM_FI_DEV_FB_RESERVED", "gauge", "Framebuffer memory reserved by the driver (in MiB)."],
    ["DCGM_FI_DEV_FB_TOTAL", "gauge", "Framebuffer memory total (in MiB)."],
    ["DCGM_FI_DEV_MEM_CLOCK", "gauge", "Memory clock frequency (in MHz)."],
    ["DCGM_FI_PROF_DRAM_ACTIVE", "gauge", "Share of cycles the device memory interface is busy (ratio)."],
  ]),
  group("power_thermal", 5000, [
    ["DCGM_FI_DEV_POWER_USAGE", "gauge", "Power draw (in W)."],
    ["DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Energy consumed since the driver loaded (in mJ)."],
    ["DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."],
    ["DCGM_FI_DEV_MEMORY_TEMP", "gauge", "Memory temperature (in C)."],
    ["DCGM_FI_DEV_POWER_MGMT_LIMIT", "gauge", "Current power management limit (in W)."],
    ["DCGM_FI_DEV_THERMAL_VIOLATION", "counter", "Time throttled by thermal limits (in us)."],
    ["DCGM_FI_DEV_POWER_VIOLATION", "counter", "Time throttled by the power limit (in us)."],
  ]),
  group("performance", 1000, [
    ["DCGM_FI_DEV_SM_CLOCK", "gauge", "SM clock frequency (in MHz)."],
    ["DCGM_FI_DEV_GRAPHICS_CLOCK", "gauge", "Graphics clock frequency (in MHz)."],
    ["DCGM_FI_DEV_PCIE_TX_THROUGHPUT", "gauge", "PCIe transmit throughput (in KB/s)."],
    ["DCGM_FI_DEV_PCIE_RX_THROUGHPUT", "gauge", "PCIe receive throughput (in KB/s)."],
    ["DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter", "PCIe replays (retried transfers)."],
    ["DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "counter", "NVLink bandwidth over all lanes (in bytes)."],
    ["DCGM_FI_PROF_NVLINK_TX_BYTES", "gauge", "NVLink transmit rate, headers included (in B/s)."],
    ["DCGM_FI_PROF_NVLINK_RX_BYTES", "gauge", "NVLink receive rate, headers included (in B/s)."],
  ]),
  group("errors", 10000, [
    ["DCGM_FI_DEV_XID_ERRORS", "gauge", "Value of the last XID error seen."],
    ["DCGM_FI_DEV_ECC_DBE_VOL_TOTAL", "counter", "Double-bit ECC errors since the last reset (volatile)."],
    ["DCGM_FI_DEV_ECC_SBE_VOL_TOTAL", "counter", "Single-bit ECC errors since the last reset (volatile)."],
    ["DCGM_FI_DEV_ECC_DBE_AGG_TOTAL", "counter", "Double-bit ECC errors over the GPU's lifetime (aggregate)."],
    ["DCGM_FI_DEV_ECC_SBE_AGG_TOTAL", "counter", "Single-bit ECC errors over the GPU's lifetime (aggregate)."],
    ["DCGM_FI_DEV_RETIRED_DBE", "gauge", "Pages retired after double-bit errors."],
    ["DCGM_FI_DEV_RETIRED_PENDING", "gauge", "Pages pending retirement."],
  ]),
  group("compute", 1000, [
    ["DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "gauge", "Share of cycles the tensor pipe is busy (ratio)."],
    ["DCGM_FI_PROF_PIPE_FP64_ACTIVE", "gauge", "Share of cycles the FP64 pipe is busy (ratio)."],
    ["DCGM_FI_PROF_PIPE_FP32_ACTIVE", "gauge", "Share of cycles the FP32 pipe is busy (ratio)."],
    ["DCGM_FI_PROF_PIPE_FP16_ACTIVE", "gauge", "Share of cycles the FP16 pipe is busy (ratio)."],
  ]),
  group("process", 2000, [
    ["DCGM_FI_PROF_GR_ENGINE_ACTIVE", "gauge", "Share of time the graphics engine is busy (ratio)."],
    ["DCGM_FI_PROF_PCIE_TX_BYTES", "gauge", "PCIe transmit rate, headers included (in B/s)."],
    ["DCGM_FI_PROF_PCIE_RX_BYTES", "gauge", "PCIe receive rate, headers included (in B/s)."],
  ]),
];

export const dcgmCounters = (groups: readonly DcgmCounterGroupSpec[] = DCGM_COUNTER_GROUPS): DcgmCounterSpec[] =>
  groups.flatMap((g) => g.counters);

/** Series the exporter produces from the counters ("label" fields become labels, not series). */
export const dcgmMetricNames = (groups: readonly DcgmCounterGroupSpec[] = DCGM_COUNTER_GROUPS): string[] =>
  dcgmCounters(groups)
    .filter((c) => c.type !== "label")
    .map((c) => c.name);
