export * from "./docker-service";
export * from "./images";
export * from "./roles";
