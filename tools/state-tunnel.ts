// `just state-tunnel [TARGET] [-- COMMAND...]`: the tunnel to the target's state server for commands that run the
// engine themselves (`cdktf deploy`, `tofu` in a stack directory). With a command: opens the tunnel, runs the
// command with PG_CONN_STR set, closes the tunnel and exits with the command's code. Without one: prints
// `export PG_CONN_STR=...` and keeps the tunnel open until Ctrl-C.
import { spawn } from "node:child_process";
import { loadModel } from "../stacks/load-model";
import { parseCommandLine, UsageError } from "./engine/args";
import { runCli } from "./engine/cli";
import { closeStateServers, openStateServer } from "./engine/state-server";
import { REPO_ROOT } from "./engine/toolchain";

const USAGE = `usage: state-tunnel [TARGET] [-- COMMAND [ARGS...]]
  TARGET   a target whose state is on a host's state server (default: SPARKY_TARGET, else the config's defaultTarget)
  COMMAND  run with PG_CONN_STR set, e.g. -- npx cdktf deploy sparky-services; without it, print the export line
           and keep the tunnel open until Ctrl-C`;

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const dashes = argv.indexOf("--");
  const own = dashes < 0 ? argv : argv.slice(0, dashes);
  const command = dashes < 0 ? [] : argv.slice(dashes + 1);
  const { positionals, help } = parseCommandLine(own, {}, USAGE);
  if (help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]} (a command goes after --)\n${USAGE}`);
  const env = { ...process.env, ...(positionals[0] ? { SPARKY_TARGET: positionals[0] } : {}) };
  const model = loadModel(env, REPO_ROOT);
  const server = model.hosts.find((h) => h.stateServer)?.stateServer;
  if (!server)
    throw new UsageError(
      `target "${model.targetName}" keeps its state without a state server (targets.${model.targetName}.state); there is nothing to tunnel to`,
    );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const tunnel = await openStateServer(server.endpoint, env, log);
  if (command.length === 0) {
    process.stdout.write(`export PG_CONN_STR=${quote(tunnel.connection)}\n`);
    log("state-tunnel: open; Ctrl-C closes it");
    // A unix:// host has no ssh process to keep this one alive.
    const alive = setInterval(() => {}, 1 << 30);
    const why = await tunnel.ended;
    clearInterval(alive);
    log(`state-tunnel: the tunnel closed: ${why}`);
    return 1;
  }
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(command[0], command.slice(1), { stdio: "inherit", env: { ...env, PG_CONN_STR: tunnel.connection } });
      child.once("error", reject);
      child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + 2 : 1)));
    });
  } finally {
    closeStateServers();
  }
}

runCli("state-tunnel", main);
