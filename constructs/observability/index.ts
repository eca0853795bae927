export * from "./host-services";
export * from "./host-observability";
export * from "./prometheus-config";
export * from "./dcgm-counters";
export * from "./promql";
export * from "./rule-check";
export * from "./grafana";
export * from "./config-files";
