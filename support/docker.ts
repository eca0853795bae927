// The Docker CLI for suites and benchmarks: preconditions with the command that fixes each, and cleanup of what a
// run created, by id.
import { spawnSync } from "node:child_process";
import { LOCAL_IMAGES } from "../constructs/services/images";
import { engineAvailable } from "../tools/engine/toolchain";
import { lines } from "./processes";

export const docker = (args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });

/** Fails with the fixing command when the engine and providers, Docker or the local images are missing. */
export function requireDeployPrerequisites(): void {
  if (!engineAvailable()) throw new Error("the engine and providers are missing: run scripts/setup-toolchain.sh");
  if (docker(["info", "--format", "{{.ServerVersion}}"]).status !== 0)
    throw new Error("Docker engine not answering: run scripts/docker-engine.sh");
  for (const image of Object.values(LOCAL_IMAGES))
    if (docker(["image", "inspect", image]).status !== 0) throw new Error(`${image} missing: run scripts/build-local-images.sh`);
}

/** Names of existing containers whose names start with one of the owners' prefixes. */
export function containersOf(owners: readonly string[]): string[] {
  return lines(docker(["ps", "-a", "--format", "{{.Names}}"]).stdout).filter((n) => owners.some((o) => n.startsWith(`${o}-`)));
}

/** Removes what the engine may have left: containers by owner label, networks and volumes by name, by id. */
export function removeLeftovers(owners: readonly string[], networks: readonly string[], keepVolumes: ReadonlySet<string>): void {
  for (const owner of owners)
    for (const id of lines(docker(["ps", "-aq", "--filter", `label=sparky.owner=${owner}`]).stdout)) docker(["rm", "-f", id]);
  for (const name of networks)
    for (const id of lines(docker(["network", "ls", "-q", "--filter", `name=^${name}$`]).stdout)) docker(["network", "rm", id]);
  for (const v of lines(docker(["volume", "ls", "-q"]).stdout))
    if (!keepVolumes.has(v) && owners.some((o) => v.startsWith(`${o}-`))) docker(["volume", "rm", v]);
}
