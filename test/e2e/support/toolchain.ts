// Tests use the same toolchain paths and environment as the tools.
export * from "../../../tools/engine/toolchain";
