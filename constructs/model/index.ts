export * from "./common";
export * from "./orchestration";
export * from "./services";
export * from "./observability";
export * from "./repository";
export * from "./project";
export * from "./deployment";
