import { z } from "zod";

/**
 * Container hardening a service may ask for, and the one way to opt out of what validation refuses. Kept apart from
 * the rest of the service schema: it is the security policy's.
 */
export const ServicePolicyFields = {
  readOnlyRootfs: z
    .boolean()
    .optional()
    .describe("Run with a read-only root filesystem (writes go to volumes only); default: the role's (see Role defaults)"),
  capDrop: z
    .array(z.string().regex(/^(ALL|[A-Z_]+)$/, 'must be a capability name such as "ALL" or "NET_RAW"'))
    .optional()
    .describe('Linux capabilities to drop, e.g. `["ALL"]`; default: the role\'s (see Role defaults)'),
  allowUnsafe: z
    .strictObject({ reason: z.string().min(10).describe("Why this service needs it, for the reviewer") })
    .optional()
    .describe("Allow what validation otherwise refuses (the Docker socket, writable system paths, unconfined profiles), with the reason"),
};

/** `ssh` options a host may carry: nothing that runs a command, or reads a config the model doesn't show. */
export const SSH_OPTIONS_ALLOWED = [
  "AddressFamily",
  "BatchMode",
  "Compression",
  "ConnectTimeout",
  "ConnectionAttempts",
  "ControlMaster",
  "ControlPath",
  "ControlPersist",
  "HostKeyAlias",
  "IdentitiesOnly",
  "IdentityFile",
  "LogLevel",
  "Port",
  "ServerAliveCountMax",
  "ServerAliveInterval",
  "StrictHostKeyChecking",
  "TCPKeepAlive",
  "User",
  "UserKnownHostsFile",
] as const;

/** Container paths of the host that no service may mount writable (or at all, for the Docker socket). */
export const SYSTEM_PATHS = [
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib64",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/usr",
  "/var/run",
];

/** The Docker socket is root on the host: mounting it hands the host to the container. */
export const DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"];
