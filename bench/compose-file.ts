// Writes the compose files equivalent to the target's Docker stacks (support/compose-file.ts): the benchmarks'
// baseline.
//   node bin/run.js bench/compose-file.ts [project] [file]   one project's services stack, under the stack's own names
//   node bin/run.js bench/compose-file.ts --beside DIR       every Docker stack of the target, renamed to run beside
//                                                           the stacks' deployment: DIR/<stack>.yml, one per stack
// "Beside": every container, network and volume name gets the prefix `compose-`, every host port moves up by
// BESIDE_PORT_OFFSET, and the projects join the compose observability network, so both deployments run at once and
// one benchmark run times both side by side. Bind-mounted host paths stay shared (the stand-ins write nothing there).
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResolvedService } from "../constructs/model";
import { observabilityFiles } from "../constructs/observability/config-files";
import { loadModel } from "../stacks/load-model";
import { ComposeUnit, composeFile, composeFileFor } from "../support/compose-file";
import { REPO_ROOT } from "../tools/engine/toolchain";

const PREFIX = "compose-";
/** Above every port the local target publishes, below those of the drift fixtures (20000-29999) and the ephemeral range. */
const BESIDE_PORT_OFFSET = 500;

function beside<T extends ComposeUnit>(unit: T): T {
  const services = Object.fromEntries(
    Object.entries(unit.services).map(([name, s]): [string, ResolvedService] => [
      name,
      {
        ...s,
        containerName: PREFIX + s.containerName,
        spec: { ...s.spec, ports: s.spec.ports.map((p) => ({ ...p, host: p.host + BESIDE_PORT_OFFSET })) },
      },
    ]),
  );
  const volumes = Object.fromEntries(Object.entries(unit.volumes).map(([name, v]) => [name, { ...v, dockerName: PREFIX + v.dockerName }]));
  return { ...unit, services, volumes, network: { ...unit.network, name: PREFIX + unit.network.name } };
}

/** Every Docker stack of the target as a compose file beside it; returns the files, the observability sets' first. */
function writeBeside(dir: string): string[] {
  const written: string[] = [];
  const write = (stack: string, text: string) => {
    const file = path.join(dir, `${stack}.yml`);
    fs.writeFileSync(file, text);
    written.push(file);
  };
  const hosts = loadModel(process.env, REPO_ROOT).hosts;
  for (const host of hosts)
    write(
      `${host.name}-observability`,
      composeFile(beside(host.observability), { name: `compose-${host.name}-observability`, files: observabilityFiles(host) }),
    );
  for (const host of hosts)
    for (const placed of host.projects)
      write(
        `${placed.project.id}-services`,
        composeFile(beside(placed), {
          name: `compose-${placed.project.id}`,
          observabilityNetwork: PREFIX + host.observability.network.name,
        }),
      );
  return written;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === "--beside") {
    fs.mkdirSync(args[1], { recursive: true });
    process.stdout.write(writeBeside(args[1]).join("\n") + "\n");
  } else {
    const [projectId = "dgx-pixels", file = "compose.yml"] = args;
    const host = loadModel(process.env, REPO_ROOT).hosts.find((h) => h.projects.some((p) => p.project.id === projectId));
    const placed = host?.projects.find((p) => p.project.id === projectId);
    if (!host || !placed) throw new Error(`project ${projectId} is not placed on any host of the target`);
    fs.writeFileSync(file, composeFileFor(placed, host.observability));
  }
}
