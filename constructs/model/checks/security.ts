import { durationSeconds, sizeInMiB } from "../common";
import type { DeploymentConfig } from "../deployment";
import { DOCKER_SOCKETS, SSH_OPTIONS_ALLOWED, SYSTEM_PATHS } from "../policy";
import type { Problem } from "../problems";
import type { Project } from "../project";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const isLoopback = (host: string) => LOOPBACK.has(host) || host.startsWith("127.");

/** The host name in `ssh://user@host:port`, `tcp://host:port`, `https://host/...` or `postgres://user@host/db`. */
export function endpointHost(url: string): string | undefined {
  if (url.startsWith("unix://")) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "") || undefined;
  } catch {
    return undefined;
  }
}

/** ssh(1) flags that take an argument (the argument is not a flag of its own). */
const SSH_FLAGS_WITH_ARGUMENT = new Set([
  "-B",
  "-b",
  "-c",
  "-D",
  "-E",
  "-e",
  "-F",
  "-I",
  "-J",
  "-L",
  "-m",
  "-O",
  "-Q",
  "-R",
  "-S",
  "-W",
  "-w",
]);

/**
 * `ssh` options that cannot run a command or pull in configuration the model doesn't show: `-o` with an
 * allowlisted option, `-i`, `-p`, `-l`, and the harmless switches. Host-key checking may be off only for loopback.
 */
function checkSshOpts(name: string, dockerHost: string, opts: readonly string[], problems: Problem[]): void {
  const at = `config.hosts.${name}.sshOpts`;
  const loopback = isLoopback(endpointHost(dockerHost) ?? "");
  const allowed = new Map(SSH_OPTIONS_ALLOWED.map((o) => [o.toLowerCase(), o]));
  for (let i = 0; i < opts.length; i++) {
    const token = opts[i];
    let option: string | undefined;
    if (token === "-o") option = opts[++i];
    else if (token.startsWith("-o")) option = token.slice(2);
    else if (["-i", "-p", "-l"].includes(token)) {
      i++;
      continue;
    } else if (["-4", "-6", "-C", "-T", "-q", "-v"].includes(token)) continue;
    else {
      problems.push({
        path: `${at}[${i}]`,
        message: `"${token}" is not allowed (allowed: -o <option>, -i, -p, -l, -4, -6, -C, -T, -q, -v)`,
      });
      if (SSH_FLAGS_WITH_ARGUMENT.has(token)) i++;
      continue;
    }
    const [key = "", value = ""] = (option ?? "").split(/[=\s]+/, 2);
    const known = allowed.get(key.toLowerCase());
    if (!known)
      problems.push({
        path: `${at}[${i}]`,
        message: `ssh option "${key}" is not allowed: it could run a command or reach another host (allowed: ${SSH_OPTIONS_ALLOWED.join(", ")}); put it in ~/.ssh/config on the deploying machine instead`,
      });
    else if (
      ((known === "StrictHostKeyChecking" && value.toLowerCase() === "no") || (known === "UserKnownHostsFile" && value === "/dev/null")) &&
      !loopback
    )
      problems.push({
        path: `${at}[${i}]`,
        message: `${known}=${value} turns off host-key checking, allowed only for a loopback host; add the host's key to known_hosts instead`,
      });
  }
}

/**
 * Endpoints a deploy or plan talks to: the Docker hosts, GitHub's API base and the pg state server. When a trusted
 * list is given (CI reads it from its protected Environment, never from the checkout), each must be on it, so a
 * change to the config alone cannot send credentials elsewhere. Loopback is always trusted.
 */
function checkTrustedHosts(config: DeploymentConfig, trusted: readonly string[], problems: Problem[]): void {
  const allowed = new Set(trusted.map((h) => h.toLowerCase()));
  const check = (path: string, url: string | undefined) => {
    const host = url ? endpointHost(url) : undefined;
    if (host && !isLoopback(host) && !allowed.has(host.toLowerCase()))
      problems.push({
        path,
        message: trusted.length
          ? `"${host}" is not a trusted host (SPARKY_TRUSTED_HOSTS: ${trusted.join(", ")}); add it there if it is meant to be reached`
          : `"${host}" is not a trusted host: SPARKY_TRUSTED_HOSTS is empty; set it (a variable of the Environment) to the host names this config reaches`,
      });
  };
  for (const [name, host] of Object.entries(config.hosts)) check(`config.hosts.${name}.dockerHost`, host.dockerHost);
  check("config.github.baseUrl", config.github.baseUrl);
  for (const [name, target] of Object.entries(config.targets))
    if (target.state.backend === "pg") check(`config.targets.${name}.state.connection`, target.state.connection);
}

export function checkDeploymentSafety(config: DeploymentConfig, trustedHosts: readonly string[] | undefined, problems: Problem[]): void {
  for (const [name, host] of Object.entries(config.hosts)) checkSshOpts(name, host.dockerHost, host.sshOpts, problems);
  if (trustedHosts) checkTrustedHosts(config, trustedHosts, problems);
}

const underSystemPath = (path: string) => SYSTEM_PATHS.some((p) => path === p || (p !== "/" && path.startsWith(`${p}/`)));

/**
 * What a service may not do without `allowUnsafe` and its reason: mount the Docker socket, mount system paths
 * writable, escape a host path with `..`, or run unconfined. Also values valid in shape but meaningless (zero
 * intervals and sizes).
 */
export function checkServiceSafety(project: Project, at: string, problems: Problem[]): void {
  for (const [name, service] of Object.entries(project.services)) {
    const svcAt = `${at}.services.${name}`;
    const unsafe: Problem[] = [];
    service.volumes.forEach((mount, i) => {
      if (!("hostPath" in mount)) return;
      const mAt = `${svcAt}.volumes[${i}].hostPath`;
      if (mount.hostPath.split("/").includes(".."))
        problems.push({ path: mAt, message: `"${mount.hostPath}" leaves its directory with ".."; name the real path` });
      if (DOCKER_SOCKETS.some((s) => mount.hostPath === s || s.startsWith(`${mount.hostPath}/`)))
        unsafe.push({ path: mAt, message: "mounts the Docker socket, which is root on the host" });
      else if (!mount.readOnly && underSystemPath(mount.hostPath))
        unsafe.push({ path: mAt, message: `mounts the system path "${mount.hostPath}" writable; mount it readOnly` });
    });
    service.securityOpts.forEach((opt, i) => {
      if (/^(seccomp|apparmor)[=:]unconfined$/.test(opt))
        unsafe.push({ path: `${svcAt}.securityOpts[${i}]`, message: `"${opt}" runs the container unconfined` });
    });
    if (!service.allowUnsafe)
      problems.push(...unsafe.map((p) => ({ ...p, message: `${p.message} (or set allowUnsafe: { reason } on the service)` })));

    const zero = (path: string, value: string | undefined) => {
      if (value !== undefined && durationSeconds(value) === 0) problems.push({ path, message: `${value} is zero; give it a duration` });
    };
    zero(`${svcAt}.healthcheck.interval`, service.healthcheck?.interval);
    zero(`${svcAt}.healthcheck.timeout`, service.healthcheck?.timeout);
    zero(`${svcAt}.metrics.interval`, service.metrics?.interval);
    zero(`${svcAt}.metrics.timeout`, service.metrics?.timeout);
    for (const field of ["memory", "shmSize"] as const) {
      const size = service[field];
      if (size !== undefined && sizeInMiB(size) === 0) problems.push({ path: `${svcAt}.${field}`, message: `${size} is zero` });
    }
  }
  project.alerts.forEach((group) => {
    if (durationSeconds(group.interval) === 0)
      problems.push({ path: `${at}.alerts.${group.name}.interval`, message: `${group.interval} is zero; give it a duration` });
  });
}
