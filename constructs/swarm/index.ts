export * from "./swarm-service";
export * from "./swarm-files";
export * from "./swarm-project";
export * from "./loopback-proxy";
export * from "./cluster-observability";
export * from "./swarm-policy";
