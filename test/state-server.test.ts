// Shared state without Docker: the config that places a target's state on a host's state server (validated with
// paths and fixes), what synth writes for it, and what the tools derive from that (the tunnel, the secrets, which
// stacks a run takes). test/e2e/shared-state.e2e.test.ts runs all of it for real.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ModelValidationError, Problem, validateModel } from "../constructs/model/validate";
import { synthesize } from "../stacks/synthesize";
import { tinyConfig, tinyProject } from "../support/fixtures";
import { freePort } from "../support/tcp";
import { prepareStacks } from "../tools/engine/prepare";
import { secretsOf } from "../tools/engine/secrets";
import { stateLockedMessage } from "../tools/engine/state-lock";
import { closeStateServers, connectionString, stateServerEnv, stateServerOf, tunnelCommand } from "../tools/engine/state-server";
import { synthesizedStacks } from "../tools/engine/stacks";
import { REPO_ROOT } from "../tools/engine/toolchain";

type Mutable = any;

const serverConfig = (): Mutable => {
  const config: Mutable = tinyConfig();
  config.hosts.box.dockerHost = "ssh://deploy@dgx.example:2222";
  config.hosts.box.sshOpts = ["-o", "ControlMaster=auto"];
  config.targets.box.state = { backend: "pg", server: "box" };
  return config;
};

function problemsOf(config: Mutable, target?: string): string[] {
  try {
    validateModel(config, [tinyProject()], { target });
  } catch (error) {
    if (error instanceof ModelValidationError) return error.problems.map((p: Problem) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe("a target's state on a host's state server: validation", () => {
  test("a valid server target, with the documented defaults", () => {
    const config = serverConfig();
    expect(problemsOf(config)).toEqual([]);
    const server = validateModel(config, [tinyProject()]).hosts[0].stateServer!;
    expect(server.endpoint).toEqual({
      host: "box",
      dockerHost: "ssh://deploy@dgx.example:2222",
      sshOpts: ["-o", "ControlMaster=auto"],
      port: 5432,
      database: "sparky",
      user: "sparky",
    });
    expect(server.service.spec.ports).toEqual([expect.objectContaining({ container: 5432, host: 5432, bind: "127.0.0.1" })]);
    expect(server.volume).toEqual({ dockerName: "box-state-data", keep: true, hostPath: undefined });
    expect(server.network).toEqual({ name: "box-state", subnet: "172.30.1.0/24", gateway: "172.30.1.1" });
  });

  test("the server must be a known host of the target, reached over ssh:// or unix://", () => {
    const config = serverConfig();
    config.hosts.other = { dockerHost: "tcp://10.0.0.9:2375", gpus: false, arch: "amd64" };
    config.targets.unknown = { hosts: ["box"], state: { backend: "pg", server: "bx" } };
    config.targets.elsewhere = { hosts: ["box"], state: { backend: "pg", server: "other" } };
    config.targets.tcp = { hosts: ["other"], state: { backend: "pg", server: "other" } };
    expect(problemsOf(config)).toEqual([
      'config.targets.unknown.state.server: unknown host "bx" (did you mean "box"?)',
      'config.targets.elsewhere.state.server: host "other" is not one of the target\'s hosts (box); add it to them',
      'config.targets.tcp.state.server: host "other" is reached over tcp://; a state server needs an ssh:// host (the tools tunnel to it) or this machine (unix://)',
    ]);
  });

  test("exactly one of server and connection", () => {
    const config = serverConfig();
    config.targets.box.state = { backend: "pg", server: "box", connection: "postgres://u@127.0.0.1/db" };
    config.targets.none = { hosts: ["box"], state: { backend: "pg" } };
    const expected = 'set exactly one of "server" (a host\'s state server, e.g. "dgx") and "connection" (a PostgreSQL of your own)';
    expect(problemsOf(config)).toEqual([`config.targets.box.state.server: ${expected}`, `config.targets.none.state.server: ${expected}`]);
  });

  test("a connection that leaves this machine needs TLS; no password in it; every problem at once", () => {
    const config: Mutable = tinyConfig();
    const connections: Record<string, string> = {
      plain: "postgres://sparky@db.example.com/sparky",
      prefer: "postgres://sparky@db.example.com/sparky?sslmode=prefer",
      password: "postgres://sparky:hunter2hunter2@127.0.0.1/sparky",
      require: "postgres://sparky@db.example.com/sparky?sslmode=require",
      full: "postgresql://sparky@10.0.0.5:5433/sparky?sslmode=verify-full",
      loopback: "postgres://sparky@127.0.0.1:5432/sparky?sslmode=disable",
      localhost: "postgres://sparky@localhost/sparky",
      ipv6: "postgres://sparky@[::1]:5432/sparky",
      socket: "postgres:///sparky?host=/var/run/postgresql&user=sparky",
    };
    for (const [name, connection] of Object.entries(connections))
      config.targets[name] = { hosts: ["box"], state: { backend: "pg", connection } };
    const fix = "add sslmode=verify-full (or require) to the connection string, or keep the state on a host's state server";
    expect(problemsOf(config)).toEqual([
      `config.targets.plain.state.connection: connects to db.example.com without TLS; ${fix} (\`"server": "<host>"\`, reached through SSH)`,
      `config.targets.prefer.state.connection: connects to db.example.com with sslmode=prefer; ${fix} (\`"server": "<host>"\`, reached through SSH)`,
      "config.targets.password.state.connection: holds a password; remove it and set PGPASSWORD in the environment instead",
    ]);
  });

  test("the server's port and network count on its host: no collision with a project or the observability network", () => {
    const config = serverConfig();
    config.hosts.box.stateServer = { port: 8188, network: { subnet: "172.30.0.0/25", gateway: "172.30.0.1" } };
    const project: Mutable = tinyProject();
    project.services.model.ports = [{ container: 8188 }];
    expect(() => validateModel(config, [project])).toThrow(ModelValidationError);
    let problems: string[] = [];
    try {
      validateModel(config, [project]);
    } catch (e) {
      problems = (e as ModelValidationError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      'config.hosts.box.stateServer.network.subnet: subnet 172.30.0.0/25 overlaps 172.30.0.0/24 (config.hosts.box.observabilityNetwork.subnet) on host "box"; Docker cannot create both networks',
      'projects.tiny.services.model.ports[0]: host port 8188/tcp on host "box" is already taken by the host\'s state server (config.hosts.box.stateServer.port)',
    ]);
  });
});

describe("a target's state on a host's state server: synth and the tools", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-state-server-"));
  const config = serverConfig();
  config.hosts.box.stateServer = { directory: path.join(dir, "bootstrap-state") };
  const configFile = path.join(dir, "sparky.config.json");
  fs.writeFileSync(configFile, JSON.stringify(config));
  const env = { SPARKY_CONFIG: configFile };
  const out = path.join(dir, "out");
  synthesize({ env, projectRoot: REPO_ROOT, outdir: out, projects: [tinyProject()] });
  const all = synthesizedStacks(out);
  const stack = (name: string) => all.find((s) => s.name === name)!;
  const json = (name: string) => JSON.parse(fs.readFileSync(path.join(stack(name).dir, "cdk.tf.json"), "utf8"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("box-state runs PostgreSQL on the host's loopback, its data on a kept volume, its own state in a local file", () => {
    const state = json("box-state");
    expect(state.terraform.backend).toEqual({
      local: { path: path.relative(stack("box-state").dir, path.join(dir, "bootstrap-state", "box-state.tfstate")) },
    });
    const postgres = state.resource.docker_container.postgres;
    expect(postgres.ports).toEqual([{ external: 5432, internal: 5432, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(postgres.volumes).toEqual([{ container_path: "/var/lib/postgresql/data", read_only: false, volume_name: "box-state-data" }]);
    expect(postgres.env).toContain("POSTGRES_PASSWORD=${var.PGPASSWORD}");
    expect(postgres.wait).toBe(true);
    expect(state.resource.docker_volume).toBeUndefined();
    expect(state.resource.docker_image.postgres.name).toBe("postgres:15.18-bookworm");
    expect(state.variable.PGPASSWORD.sensitive).toBe(true);
  });

  test("the other stacks keep their state on it: a schema each, and no host, port or password anywhere in cdktf.out", () => {
    for (const name of ["tiny-services", "tiny-github", "box-observability"]) {
      expect(json(name).terraform.backend).toEqual({ pg: { schema_name: `sparky_${name.replace(/-/g, "_")}` } });
      expect(stateServerOf(stack(name))).toEqual(
        expect.objectContaining({ host: "box", dockerHost: "ssh://deploy@dgx.example:2222", port: 5432 }),
      );
    }
    expect(stateServerOf(stack("box-state"))).toBeUndefined();
    for (const s of all) expect(fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8")).not.toMatch(/postgres:\/\/|PG_CONN_STR/);
  });

  test("they need PGPASSWORD; a run takes box-state only when a pattern naming state matches it", () => {
    expect(secretsOf([stack("tiny-services")]).map((s) => s.name)).toEqual(["PGPASSWORD"]);
    const names = (stacks: string[]) =>
      prepareStacks({
        env: { ...env, PGPASSWORD: "x".repeat(16), GITHUB_TOKEN: "y".repeat(16), GRAFANA_ADMIN_PASSWORD: "z".repeat(16) },
        projectRoot: REPO_ROOT,
        outdir: out,
        stacks,
        synth: false,
        log: () => {},
      })
        .selected.map((s) => s.name)
        .sort();
    expect(names([])).toEqual(["box-observability", "tiny-github", "tiny-services"]);
    expect(names(["box-*"])).toEqual(["box-observability"]);
    expect(names(["*-state"])).toEqual(["box-state"]);
    expect(names(["box-state", "tiny-*"])).toEqual(["box-state", "tiny-github", "tiny-services"]);
  });

  test("the tunnel: its own ssh connection (ahead of the host's options), loopback at both ends; the engine gets PG_CONN_STR", () => {
    const endpoint = stateServerOf(stack("tiny-services"))!;
    expect(tunnelCommand(endpoint, 41000, 30)).toEqual([
      ...["ssh", "-N", "-L", "127.0.0.1:41000:127.0.0.1:5432"],
      ...["-o", "ControlMaster=no", "-o", "ControlPath=none", "-o", "ExitOnForwardFailure=yes", "-o", "BatchMode=yes"],
      ...["-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=15"],
      ...["-o", "ControlMaster=auto", "-p", "2222", "deploy@dgx.example"],
    ]);
    expect(connectionString(endpoint, 41000)).toBe("postgres://sparky@127.0.0.1:41000/sparky?sslmode=disable");
  });

  test("a tunnel that cannot open stops within its bounded wait, naming the host and the ssh command", async () => {
    const closed = await freePort();
    const endpoint = { ...stateServerOf(stack("tiny-services"))!, dockerHost: `ssh://nobody@127.0.0.1:${closed}` };
    const dirWith = path.join(dir, "unreachable");
    fs.mkdirSync(dirWith);
    fs.writeFileSync(path.join(dirWith, "cdk.tf.json"), JSON.stringify({ "//": { sparky: { stateServer: endpoint } } }));
    const started = Date.now();
    await expect(stateServerEnv({ dir: dirWith }, { ...process.env, SPARKY_STATE_TUNNEL_TIMEOUT: "5" })).rejects.toThrow(
      new RegExp(
        `cannot reach the state server on host "box": ssh exited with code 255\\n  the tunnel: ssh -N -L 127\\.0\\.0\\.1:\\d+:127\\.0\\.0\\.1:5432 .* -p ${closed} nobody@127\\.0\\.0\\.1\\n  ssh said: .*Connection refused`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    // A host reached over unix:// is this machine: no ssh, and the same bounded wait for the server.
    fs.writeFileSync(
      path.join(dirWith, "cdk.tf.json"),
      JSON.stringify({ "//": { sparky: { stateServer: { ...endpoint, dockerHost: "unix:///var/run/docker.sock", port: closed } } } }),
    );
    await expect(stateServerEnv({ dir: dirWith }, { ...process.env, SPARKY_STATE_TUNNEL_TIMEOUT: "1" })).rejects.toThrow(
      `cannot reach the state server on host "box": nothing answers on 127.0.0.1:${closed} on the host within 1 s; deploy the state server first`,
    );
    closeStateServers();
  }, 30_000);

  test("a lock held by another run reads as such", () => {
    const engine =
      "Error: Error acquiring the state lock\n\nError message: Already locked for workspace creation: default\nLock Info:\n  ID: 9cbeb58a";
    expect(stateLockedMessage("tiny-services", engine, "1s")).toMatch(
      /^the state of tiny-services is locked: another run \(a deploy, plan or apply of tiny-services from a workstation or CI\) holds it, and it was not released within 1s; nothing was changed\./,
    );
    expect(stateLockedMessage("tiny-services", "Error: something else")).toBeUndefined();
  });
});
