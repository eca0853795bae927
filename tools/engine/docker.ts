// The Docker CLI against a stack's own engine (the docker provider's `host`: a local socket or ssh://).
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import type { SynthesizedStack } from "./stacks";
import { readStackConfig } from "./variables";

export function dockerHost(stack: Pick<SynthesizedStack, "dir">): string | undefined {
  const host = readStackConfig(stack.dir).provider?.docker?.[0]?.host;
  return typeof host === "string" ? host : undefined;
}

/** Runs `docker` against the stack's engine (30 s at most); stdout and stderr as text. */
export function dockerRun(stack: Pick<SynthesizedStack, "dir">, args: string[]): SpawnSyncReturns<string> {
  const host = dockerHost(stack);
  return spawnSync("docker", [...(host ? ["-H", host] : []), ...args], { encoding: "utf8", timeout: 30_000 });
}

/** The command's trimmed stdout, or undefined when it failed or printed nothing. */
export function docker(stack: Pick<SynthesizedStack, "dir">, args: string[]): string | undefined {
  const r = dockerRun(stack, args);
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Managed containers of the stack: address → container name. */
export function containersOf(stack: Pick<SynthesizedStack, "dir">): Map<string, { name: string; config: Record<string, unknown> }> {
  const containers = readStackConfig(stack.dir).resource?.docker_container ?? {};
  return new Map(
    Object.entries(containers)
      .filter(([, c]) => typeof c.name === "string")
      .map(([key, c]) => [`docker_container.${key}`, { name: c.name as string, config: c }]),
  );
}
