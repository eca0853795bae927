export * from "./host-services";
export * from "./host-observability";
export * from "./prometheus-config";
