// `just urls [target] [stacks]`: where everything a target deployed is reached, from its Docker stacks' `endpoints`
// outputs: service, URL, whether it listens on the host's loopback only, and the ssh -L that reaches it.
import { parseCommandLine } from "./engine/args";
import { runCli } from "./engine/cli";
import { deployedEndpoints } from "./engine/endpoints";
import { alignedTable } from "./engine/table";

const USAGE = `usage: urls [TARGET] [STACKS...] [--output DIR]
  TARGET  a target of the config (default: SPARKY_TARGET, else the config's defaultTarget)
  STACKS  stack name patterns (default: every stack)`;

async function main(): Promise<number> {
  const { values, positionals, help } = parseCommandLine(process.argv.slice(2), { output: { type: "string" } }, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [target, ...stacks] = positionals;
  const { prepared, results } = await deployedEndpoints(target, stacks, values.output);
  const rows = results.flatMap(({ stack, endpoints, error }) =>
    error
      ? [[stack.name, "(cannot read its outputs)", prepared.masker.text(error.split("\n")[0]), "", ""]]
      : endpoints === undefined
        ? [[stack.name, "(not deployed)", "", "", ""]]
        : endpoints.map((e) => [stack.name, e.service, e.url, e.loopback_only ? "yes" : "no", e.description]),
  );
  process.stdout.write(`${alignedTable(["stack", "service", "url", "loopback only", "what"], rows).join("\n")}\n`);
  const tunnels = results.flatMap((r) => (r.endpoints ?? []).filter((e) => e.tunnel));
  if (tunnels.length > 0) {
    process.stdout.write(
      `\nLoopback-only ports of ssh:// hosts: \`just tunnel ${target ?? ""}\` forwards them all with each host's sshOpts, or one at a time:\n`,
    );
    for (const e of tunnels) process.stdout.write(`  ${e.service.padEnd(28)} ${e.tunnel}\n`);
  }
  return results.some((r) => r.error) ? 1 : 0;
}

runCli("urls", main);
