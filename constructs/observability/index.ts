export * from "./host-observability";
export * from "./prometheus-config";
export * from "./grafana";
export * from "./dcgm-csv";
export * from "./config-files";
export * from "./scrape";
