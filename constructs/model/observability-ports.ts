import { z } from "zod";

/** The shared network every scraped service joins; Prometheus reaches targets by container name on it. */
export const OBSERVABILITY_NETWORK = "sparky-observability";

const HostPort = z.number().int().min(1).max(65535);

/** Where the host's observability set publishes its ports: each service's own port unless the host moves it. */
export const ObservabilityPortsSchema = z
  .strictObject({
    prometheus: HostPort.optional().describe("Host port of Prometheus; default 9090"),
    grafana: HostPort.optional().describe("Host port of Grafana; default 3000"),
    "node-exporter": HostPort.optional().describe("Host port of node-exporter; default 9100"),
    "dcgm-exporter": HostPort.optional().describe("Host port of the DCGM exporter; default 9400"),
  })
  .default({})
  .describe(
    "Host ports of the observability set, by service, where its defaults are taken (another engine or a parallel test run on one machine)",
  );

export type ObservabilityPorts = z.infer<typeof ObservabilityPortsSchema>;
