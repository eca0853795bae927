export * from "./host-observability";
export * from "./prometheus-config";
export * from "./grafana";
export * from "./dashboard-json";
export * from "./dcgm-csv";
export * from "./config-files";
export * from "./scrape";
