export * from "./repository";
export * from "./orchestration-on-github";
export * from "./ownership";
export * from "./file-conflicts";
export { ISSUE_NUMBERS_VARIABLE } from "./people-labels";
