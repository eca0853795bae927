// Shared state: the PostgreSQL server sparky-infra runs on a host for the OpenTofu `pg` backend (one schema and one
// lock per stack), reached from the workstation and from CI through an SSH tunnel that the tools open themselves.
import { z } from "zod";
import { Slug } from "./common";
import type { DeploymentConfig, HostSpec } from "./deployment";
import type { Problem } from "./problems";
import { unknownReference } from "./problems";
import type { ResolvedService, ResolvedVolume } from "./resolved";
import { PG_PASSWORD_VARIABLE } from "./secrets";
import { ServiceSchema, ServiceSpec } from "./services";

/**
 * The official image, by reference: the same major and minor (and Debian release) as the PostgreSQL that
 * scripts/build-local-images.sh takes from Debian bookworm for the tests, so what the e2e suite runs is what the
 * DGX runs. The Debian variant, not Alpine: collation comes from glibc, as in the tested build. A minor upgrade is a
 * tag change; a major one needs a dump and restore of the (small) state database.
 */
export const STATE_SERVER_IMAGE = "postgres:15.18-bookworm";
export const STATE_SERVER_USER = "sparky";
export const STATE_SERVER_DATABASE = "sparky";
/** A subdirectory of the volume: initdb refuses a non-empty directory (e.g. a bind-mounted disk's lost+found). */
const PGDATA = "/var/lib/postgresql/data/pgdata";

/** Owner prefix of the state server's container, volume and network: "<host>-state", also its stack's name. */
export const stateServerOwner = (hostName: string) => `${hostName}-state`;

const DEFAULT_NETWORK = { subnet: "172.30.1.0/24", gateway: "172.30.1.1" };
export const STATE_SERVER_DEFAULTS = { port: 5432, network: DEFAULT_NETWORK, directory: ".state" };

export const StateServerSettingsSchema = z
  .strictObject({
    port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .default(STATE_SERVER_DEFAULTS.port)
      .describe("Port of the state server on the host's loopback (127.0.0.1 only: the tools reach it through SSH)"),
    network: z
      .strictObject({
        subnet: z.cidrv4().describe("Address range, e.g. 172.30.1.0/24"),
        gateway: z.ipv4().describe("Gateway address in the range"),
      })
      .default(DEFAULT_NETWORK)
      .describe("Fixed `{ subnet, gateway }` of the state server's own network; it must not overlap another network on the host"),
    directory: z
      .string()
      .default(STATE_SERVER_DEFAULTS.directory)
      .describe(
        "Where the bootstrap stack `<host>-state` keeps its own state file, on the machine that deploys it; relative paths are from the project root",
      ),
  })
  .default(STATE_SERVER_DEFAULTS)
  .describe("The PostgreSQL server sparky-infra runs on this host when a target's `state.server` names it (see Shared state)");

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;
const TLS_MODES = ["require", "verify-ca", "verify-full"];

/** A connection string the pg backend may use: a URL, no password in it, and TLS unless it stays on this machine. */
const PgConnection = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a URL like "postgres://user@db.example.com/sparky?sslmode=verify-full"')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a valid URL" });
      return;
    }
    if (url.password)
      ctx.addIssue({ code: "custom", message: `holds a password; remove it and set ${PG_PASSWORD_VARIABLE} in the environment instead` });
    const socket = url.searchParams.get("host")?.startsWith("/");
    const host = url.hostname;
    const mode = url.searchParams.get("sslmode");
    if (!socket && host && !LOOPBACK.test(host) && !TLS_MODES.includes(mode ?? ""))
      ctx.addIssue({
        code: "custom",
        message:
          `connects to ${host} ${mode ? `with sslmode=${mode}` : "without TLS"}; add sslmode=verify-full (or require) to the ` +
          `connection string, or keep the state on a host's state server (\`"server": "<host>"\`, reached through SSH)`,
      });
  });

export const PgStateSchema = z
  .strictObject({
    backend: z.literal("pg").describe("PostgreSQL, with a lock per stack: what a team and its CI share"),
    server: Slug.optional().describe(
      "A host of the target whose state server holds the state (`hosts.<name>.stateServer`), reached through an SSH tunnel the tools open",
    ),
    connection: PgConnection.optional().describe(
      "Or a PostgreSQL of your own: connection string without the password (`PGPASSWORD` supplies it); TLS (`sslmode=require` or stricter) unless on loopback",
    ),
    schemaPrefix: Slug.default("sparky").describe("Prefix of each stack's schema (`<prefix>_<stack>`)"),
  })
  .superRefine((state, ctx) => {
    if ((state.server === undefined) === (state.connection === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["server"],
        message: 'set exactly one of "server" (a host\'s state server, e.g. "dgx") and "connection" (a PostgreSQL of your own)',
      });
  });

/** What a client needs to reach a host's state server; written into each stack that keeps its state there. */
export interface StateServerEndpoint {
  /** Host name in the config. */
  host: string;
  /** How to reach the host: `ssh://user@host[:port]` (through a tunnel) or `unix://…` (this machine). */
  dockerHost: string;
  /** The host's extra `ssh` options. */
  sshOpts: string[];
  /** Port on the host's loopback. */
  port: number;
  database: string;
  user: string;
}

export function stateServerEndpoint(hostName: string, host: HostSpec): StateServerEndpoint {
  return {
    host: hostName,
    dockerHost: host.dockerHost,
    sshOpts: host.sshOpts,
    port: host.stateServer.port,
    database: STATE_SERVER_DATABASE,
    user: STATE_SERVER_USER,
  };
}

/** The state server on its host, resolved like the host's observability set. */
export interface ResolvedStateServer {
  /** "<host>-state": the bootstrap stack's name and the prefix of its container, volume and network. */
  owner: string;
  network: { name: string; subnet: string; gateway: string };
  service: ResolvedService;
  /** The data; kept on destroy (no stack owns it), so the state of every stack survives the server's container. */
  volume: ResolvedVolume;
  endpoint: StateServerEndpoint;
  /** Directory of the bootstrap stack's own (local) state file. */
  directory: string;
}

/** The server as a model service, so host-port checks and secret sources treat it like any other container. */
export function stateServerService(hostName: string, host: HostSpec): ServiceSpec {
  return ServiceSchema.parse({
    role: "backend",
    description: `PostgreSQL holding the OpenTofu state of every stack whose target keeps its state on ${hostName}`,
    image: { ref: STATE_SERVER_IMAGE },
    env: { POSTGRES_USER: STATE_SERVER_USER, POSTGRES_DB: STATE_SERVER_DATABASE, PGDATA },
    secretEnv: [{ name: "POSTGRES_PASSWORD", from: PG_PASSWORD_VARIABLE }],
    ports: [{ container: 5432, host: host.stateServer.port, bind: "127.0.0.1", description: "OpenTofu state (pg backend), loopback only" }],
    volumes: [{ volume: "data", target: "/var/lib/postgresql/data" }],
    healthcheck: {
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", STATE_SERVER_USER, "-d", STATE_SERVER_DATABASE],
      probe: { tcp: { port: 5432 } },
      interval: "5s",
      timeout: "5s",
      startPeriod: "30s",
      retries: 12,
    },
  });
}

/** The target's state server host, when its state lives on one. */
export function stateServerHost(config: Pick<DeploymentConfig, "targets">, targetName: string): string | undefined {
  const state = config.targets[targetName]?.state;
  return state?.backend === "pg" ? state.server : undefined;
}

/** Every target whose state is on a host's state server: the host exists, is one of the target's, and is reachable. */
export function checkStateServers(config: DeploymentConfig, problems: Problem[]): void {
  for (const targetName of Object.keys(config.targets)) {
    const server = stateServerHost(config, targetName);
    if (server === undefined) continue;
    const path = `config.targets.${targetName}.state.server`;
    const target = config.targets[targetName];
    const host = config.hosts[server];
    if (!host) problems.push({ path, message: unknownReference("host", server, Object.keys(config.hosts)) });
    else if (!target.hosts.includes(server))
      problems.push({ path, message: `host "${server}" is not one of the target's hosts (${target.hosts.join(", ")}); add it to them` });
    else if (!/^(ssh|unix):\/\//.test(host.dockerHost))
      problems.push({
        path,
        message: `host "${server}" is reached over ${host.dockerHost.split(":")[0]}://; a state server needs an ssh:// host (the tools tunnel to it) or this machine (unix://)`,
      });
  }
}
