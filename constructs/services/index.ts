export * from "./docker-service";
export * from "./images";
export * from "./container-policy";
export * from "./project-services";
export * from "./ownership";
export * from "./scheduled-job";
