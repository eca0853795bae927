export * from "./project-repository";
