// Where deployed ports are reached from the deploying machine, and how the tools run docker against a host.
import { blueprints } from "../blueprints";
import { DEFAULT_CONFIG } from "../config/default-config";
import { endpointsOf } from "../constructs/model/endpoints";
import { validateModel } from "../constructs/model/validate";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dockerArgs, dockerOn } from "../tools/engine/docker";

const hostOf = (target: string, edit: (config: any) => void = () => {}) => {
  const config = structuredClone(DEFAULT_CONFIG) as any;
  edit(config);
  return validateModel(config, blueprints, { target }).hosts[0];
};

test("on an ssh:// host: loopback-only URLs, each with the ssh -L that forwards it (the host's sshOpts are the operator's)", () => {
  const host = hostOf("dgx");
  const dgx = host.projects.find((p) => p.project.id === "dgx-pixels")!;
  const endpoints = endpointsOf(host.spec, Object.values(dgx.services));
  expect(endpoints.map((e) => [e.service, e.container, e.url, e.loopback_only])).toEqual([
    ["dgx-pixels/comfyui", "dgx-pixels-comfyui", "http://127.0.0.1:8188", true],
    ["dgx-pixels/backend-worker", "dgx-pixels-backend", "tcp://127.0.0.1:5555", true],
    ["dgx-pixels/backend-worker", "dgx-pixels-backend", "tcp://127.0.0.1:5556", true],
    ["dgx-pixels/backend-worker", "dgx-pixels-backend", "http://127.0.0.1:8000", true],
    ["dgx-pixels/mcp-server", "dgx-pixels-mcp", "tcp://127.0.0.1:3001", true],
  ]);
  expect(endpoints[0].tunnel).toBe("ssh -N -L 127.0.0.1:8188:127.0.0.1:8188 ubuntu@dgx-spark");
});

test("a public port is reached at the host's name with no tunnel; a local engine's ports need none either", () => {
  const publicHost = hostOf("dgx", (c) => {
    c.hosts.dgx.dockerHost = "ssh://me@10.0.0.5:2222";
    c.hosts.dgx.publicObservability = true;
    c.hosts.dgx.publicAddress = "10.0.0.5";
  });
  const grafana = endpointsOf(publicHost.spec, [publicHost.observability.services.grafana]);
  expect(grafana).toEqual([
    {
      service: "dgx-obs/grafana",
      container: "dgx-obs-grafana",
      description: "Grafana UI",
      url: "http://10.0.0.5:3000",
      loopback_only: false,
    },
  ]);
  const local = hostOf("local");
  expect(endpointsOf(local.spec, [local.observability.services.prometheus])[0]).toEqual({
    service: "local-obs/prometheus",
    container: "local-obs-prometheus",
    description: "Prometheus UI and API",
    url: "http://127.0.0.1:9090",
    loopback_only: true,
  });
});

test("docker runs with -H; on an ssh:// host its ssh helper runs with the host's sshOpts, each quoted", () => {
  expect(dockerArgs({ host: "unix:///var/run/docker.sock" }, ["ps", "-a"])).toEqual(["-H", "unix:///var/run/docker.sock", "ps", "-a"]);
  // A stand-in docker shows which ssh its helper would run, and with what.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-fake-docker-"));
  const originalPath = process.env.PATH;
  try {
    fs.writeFileSync(path.join(dir, "docker"), '#!/bin/sh\ncat "$(command -v ssh)"\necho "args: $*"\n', { mode: 0o755 });
    process.env.PATH = `${dir}${path.delimiter}${originalPath}`;
    const r = dockerOn({ host: "ssh://ubuntu@dgx:2222", sshOpts: ["-o", "ControlPath=~/.ssh/it's %C"] }, ["inspect", "x"]);
    expect(r.stdout).toMatch(/^#!\/bin\/sh\nexec '[^']*ssh' '-o' 'ControlPath=~\/.ssh\/it'\\''s %C' "\$@"\n/);
    expect(r.stdout).toContain("args: -H ssh://ubuntu@dgx:2222 inspect x");
  } finally {
    process.env.PATH = originalPath;
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The helper's directory lived for that one command.
  expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("sparky-ssh-"))).toEqual([]);
});
