// Where a deployed host's published ports are reached from the deploying machine: one endpoint per published port,
// with its URL, whether it only listens on the host's loopback, and for ssh:// hosts the `ssh -L` that forwards it.
import type { HostSpec } from "./deployment";
import type { ResolvedService } from "./resolved";
import { shellWord } from "./shell";

/** Name of the output that lists a Docker stack's endpoints. */
export const ENDPOINTS_OUTPUT = "endpoints";

export interface Endpoint {
  /** `<owner>/<service>`. */
  service: string;
  container: string;
  description: string;
  url: string;
  /** Published on 127.0.0.1 only: on a remote host it is reached through a tunnel. */
  loopback_only: boolean;
  /**
   * For loopback-only ports of ssh:// hosts: the command that forwards the port to this machine's same port. Only
   * the host's address and port, not its sshOpts: those are the operator's (keys, multiplexing), and an output that
   * held them would change with whoever plans (`just tunnel` adds them at run time).
   */
  tunnel?: string;
}

/** The ssh destination, port and options of an ssh:// Docker host. */
export function sshDestination(host: Pick<HostSpec, "dockerHost" | "sshOpts">): { destination: string; args: string[] } | undefined {
  if (!host.dockerHost.startsWith("ssh://")) return undefined;
  const url = new URL(host.dockerHost);
  const destination = `${url.username ? `${decodeURIComponent(url.username)}@` : ""}${url.hostname}`;
  return { destination, args: [...host.sshOpts, ...(url.port ? ["-p", url.port] : [])] };
}

/** `http` for ports that answer HTTP (the healthcheck's HTTP probe, the metrics endpoint), else the port's protocol. */
function scheme(service: ResolvedService, container: number, protocol: string): string {
  const probe = service.spec.healthcheck?.probe;
  const http = (probe && "http" in probe && probe.http.port === container) || service.spec.metrics?.port === container;
  return http ? "http" : protocol;
}

/** Every published port of the services on the host, in the services' order. */
export function endpointsOf(host: Pick<HostSpec, "dockerHost" | "sshOpts">, services: readonly ResolvedService[]): Endpoint[] {
  const ssh = sshDestination({ dockerHost: host.dockerHost, sshOpts: [] });
  const remoteName = ssh ? new URL(host.dockerHost).hostname : "localhost";
  return services.flatMap((s) =>
    s.spec.ports.map((p) => {
      const loopback = p.bind === "127.0.0.1";
      const address = loopback ? "127.0.0.1" : p.bind === "0.0.0.0" ? remoteName : p.bind;
      const tunnel =
        ssh && loopback && p.protocol === "tcp"
          ? ["ssh", "-N", "-L", `127.0.0.1:${p.host}:127.0.0.1:${p.host}`, ...ssh.args, ssh.destination].map(shellWord).join(" ")
          : undefined;
      return {
        service: `${s.owner}/${s.name}`,
        container: s.containerName,
        description: p.description ?? "",
        url: `${scheme(s, p.container, p.protocol)}://${address}:${p.host}`,
        loopback_only: loopback,
        ...(tunnel ? { tunnel } : {}),
      };
    }),
  );
}
