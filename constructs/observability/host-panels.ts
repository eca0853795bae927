import type { PanelInput } from "../model/observability";

/**
 * A node-exporter series per node: joined with node_uname_info, whose nodename is the node's (a cluster's exporters run
 * with the node's hostname), so each node is its own series, legend `{{nodename}}`.
 */
const perNode = (expr: string) => `${expr} * on(instance) group_left(nodename) node_uname_info`;

/**
 * The host panels of the health dashboard, from node-exporter. On a single host one series each, as the reference drew
 * them; on a cluster one series per node, the node dimension.
 */
export function hostPanels(cluster: boolean): PanelInput[] {
  const query = (single: { expr: string; legend: string }, byNode: string, legend = "{{nodename}}") =>
    cluster ? { expr: byNode, legend } : single;
  const idle = `rate(node_cpu_seconds_total{mode="idle"}[5m])`;
  const available = "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes";
  const rootFree = `node_filesystem_avail_bytes{mountpoint="/"} / node_filesystem_size_bytes{mountpoint="/"}`;
  const traffic = (direction: "receive" | "transmit") => `rate(node_network_${direction}_bytes_total{device!="lo"}[5m])`;
  return [
    {
      title: "CPU busy",
      unit: "percent",
      row: "Host",
      queries: [query({ expr: `100 * (1 - avg(${idle}))`, legend: "cpu" }, `100 * (1 - avg by (nodename) (${perNode(idle)}))`)],
    },
    {
      title: "Memory used",
      kind: "gauge",
      unit: "percent",
      queries: [query({ expr: `100 * (1 - ${available})`, legend: "unified memory" }, `100 * (1 - ${perNode(`(${available})`)})`)],
    },
    {
      title: "Root filesystem free",
      kind: "gauge",
      unit: "percent",
      queries: [query({ expr: `100 * ${rootFree}`, legend: "/" }, `100 * ${perNode(`(${rootFree})`)}`)],
    },
    { title: "Load (1m)", unit: "short", queries: [query({ expr: "node_load1", legend: "load1" }, perNode("node_load1"))] },
    {
      title: "Network",
      unit: "Bps",
      queries: (["receive", "transmit"] as const).map((d) =>
        query({ expr: `sum(${traffic(d)})`, legend: d }, `sum by (nodename) (${perNode(traffic(d))})`, `{{nodename}} ${d}`),
      ),
    },
    {
      title: "Uptime",
      kind: "stat",
      unit: "s",
      queries: [query({ expr: "time() - node_boot_time_seconds", legend: "uptime" }, `(time() - ${perNode("node_boot_time_seconds")})`)],
    },
  ];
}
