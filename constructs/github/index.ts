export * from "./repository";
export * from "./orchestration-on-github";
