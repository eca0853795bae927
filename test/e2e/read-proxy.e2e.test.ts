// The preview's DGX key, as a maintainer installs it: restricted in authorized_keys (`restrict,command=`) to
// docker-read-proxy in front of the Docker socket, behind a real sshd on 127.0.0.1. A stack deployed with the
// deploy key plans clean through the preview key (the real docker provider, keep-alive and streamed answers
// through the proxy); drift's container lookups go through it with the host's ssh_opts; an apply through it is
// refused with the proxy's message; the key runs no other command, opens no tunnel. Also the CI SSH action's own
// scripts: the key in a job-local agent, then every master connection closed and the key gone.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { stoppedContainers } from "../../tools/engine/docker";
import { docker as stackDocker } from "../../tools/engine/docker";
import { synthesizedStacks } from "../../tools/engine/stacks";
import { REPO_ROOT } from "../../tools/engine/toolchain";
import { containersOf, removeLeftovers, requireDeployPrerequisites } from "../../support/docker";
import { deployEnv, workspace } from "../../support/engine-env";
import { run } from "../../support/processes";
import { describeE2E } from "./support/describe-e2e";
import { startSshd, Sshd } from "../../support/sshd";
import { uniqueTinyProject, writeJson } from "./support/tiny-deploy";

const STEP = 5 * 60_000;
const PROXY = path.join(REPO_ROOT, ".toolchain", "bin", "docker-read-proxy");
const REFUSED =
  /docker-read-proxy: refused POST \/v[\d.]+\/containers\/create: only GET and HEAD requests pass; this SSH key may only read the Docker API/;

describeE2E("read-only preview key: docker-read-proxy behind sshd", () => {
  let sshd: Sshd | undefined;
  let project: any;
  let ws: ReturnType<typeof workspace>;
  let deployed = false;
  const env: Record<"deploy" | "preview", NodeJS.ProcessEnv> = { deploy: {}, preview: {} };
  const out = (key: string) => path.join(ws.dir, `out-${key}`);
  const stack = () => `${project.id}-services`;
  const tool = (key: "deploy" | "preview", args: string[], projects = project) =>
    run("node", ["bin/run.js", ...args], {
      env: { ...env[key], SPARKY_PROJECTS: writeJson(ws.dir, `projects-${Object.keys(projects.services).length}.json`, [projects]) },
      timeoutMs: STEP,
    });
  const ssh = (key: string, args: string[], input = "") =>
    spawnSync(
      "ssh",
      [
        "-i",
        sshd!.keys[key],
        "-p",
        String(sshd!.port),
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "BatchMode=yes",
        ...args,
      ],
      {
        input,
        encoding: "utf8",
        timeout: 30_000,
      },
    );

  beforeAll(async () => {
    requireDeployPrerequisites();
    if (!fs.existsSync(PROXY)) throw new Error(`${PROXY} missing: run scripts/setup-tools.sh`);
    project = await uniqueTinyProject("rop");
    ws = workspace("read-proxy", () => {});
    // The line a maintainer puts into the DGX's authorized_keys for the preview key (README "Plan previews").
    sshd = await startSshd(ws.dir, ["deploy", "preview"], { preview: `restrict,command="${PROXY} --socket /var/run/docker.sock"` });
    for (const key of ["deploy", "preview"] as const) {
      const sshOpts = [
        ...["-i", sshd.keys[key], "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
        // One master per key: a preview must never ride on a connection the deploy key opened.
        ...["-o", "ControlMaster=auto", "-o", `ControlPath=${path.join(ws.dir, `cm-${key}-%C`)}`, "-o", "ControlPersist=60"],
      ];
      const config = {
        github: { owner: "acme" },
        hosts: { dgx: { dockerHost: `ssh://root@127.0.0.1:${sshd.port}`, sshOpts, gpus: false, arch: "amd64", projects: [project.id] } },
        targets: { dgx: { hosts: ["dgx"], images: "local", state: { backend: "local", directory: ws.stateDir } } },
        defaultTarget: "dgx",
      };
      env[key] = deployEnv({ SPARKY_CONFIG: writeJson(ws.dir, `config-${key}.json`, config), SPARKY_TARGET: "dgx" });
    }
  }, 60_000);

  afterAll(async () => {
    if (deployed) await tool("deploy", ["tools/deploy.ts", "destroy", "dgx", stack(), "--yes", "--output", out("deploy")]);
    if (project) removeLeftovers([project.id], [`${project.id}-net`], new Set());
    if (ws)
      for (const socket of fs.readdirSync(ws.dir).filter((f) => f.startsWith("cm-")))
        spawnSync("ssh", ["-S", path.join(ws.dir, socket), "-O", "exit", "x"]);
    sshd?.stop();
    if (ws) fs.rmSync(ws.dir, { recursive: true, force: true });
  }, STEP);

  test("go test: the proxy's request filter, keep-alive, streaming and refusals", () => {
    const r = spawnSync("go", ["test", "-count=1", "./..."], {
      cwd: path.join(REPO_ROOT, "tools", "docker-read-proxy"),
      encoding: "utf8",
      timeout: 180_000,
      env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" },
    });
    expect(`${r.status}\n${r.stdout}${r.stderr}`).toMatch(/^0\nok\s+sparky-infra\/docker-read-proxy/);
  }, 200_000);

  test(
    "a stack deployed with the deploy key plans clean through the preview key, and drift's lookups read through it",
    async () => {
      deployed = true;
      const deploy = await tool("deploy", ["tools/deploy.ts", "deploy", "dgx", stack(), "--output", out("deploy")]);
      expect(`${deploy.code}\n${deploy.stderr.slice(-3000)}`).toMatch(/^0\n/);
      const preview = await tool("preview", ["tools/plan-preview.ts", "--out", out("preview"), "--stacks", stack()]);
      expect(`${preview.code}\n${preview.stderr.slice(-3000)}`).toMatch(/^0\n/);
      expect(JSON.parse(fs.readFileSync(path.join(out("preview"), "plan-preview.json"), "utf8")).stacks[0].status).toBe("no-changes");
      expect(fs.readFileSync(sshd!.log, "utf8")).toMatch(/Accepted key ED25519 .* found at .*authorized_keys:2/);
      // Drift's Docker CLI lookups: only through the host's ssh_opts (its -i) can they log in at all.
      const synthesized = synthesizedStacks(path.join(out("preview"), "cdktf.out")).find((s) => s.name === stack())!;
      expect(stoppedContainers(synthesized)).toEqual([]);
      expect(stackDocker(synthesized, ["container", "inspect", "--format", "{{.Name}}", `${project.id}-worker`])).toBe(
        `/${project.id}-worker`,
      );
    },
    STEP,
  );

  test(
    "an apply through the preview key is refused with the proxy's message; nothing is created",
    async () => {
      const more = structuredClone(project);
      more.services.extra = { ...structuredClone(project.services.worker), description: "one more", ports: [], dependsOn: [] };
      const apply = await tool("preview", ["tools/deploy.ts", "deploy", "dgx", stack(), "--output", out("apply")], more);
      expect(apply.code).toBe(1);
      expect(apply.stderr).toMatch(REFUSED);
      expect(containersOf([project.id]).sort()).toEqual([`${project.id}-model`, `${project.id}-worker`]);
    },
    STEP,
  );

  test("the preview key runs no other command, no shell and no tunnel", () => {
    const marker = path.join(ws.dir, "marker");
    for (const command of [["id"], ["touch", marker], ["docker", "run", "--rm", "alpine", "id"], ["docker system dial-stdio; id"]]) {
      const r = ssh("preview", ["root@127.0.0.1", "--", ...command]);
      expect([command.join(" "), r.status, r.stdout]).toEqual([command.join(" "), 1, ""]);
      expect(r.stderr).toContain("docker-read-proxy: refused");
      expect(r.stderr).toContain("this SSH key only reads the Docker API (docker system dial-stdio)");
    }
    expect(fs.existsSync(marker)).toBe(false);
    const login = ssh("preview", ["-T", "root@127.0.0.1"]);
    expect(login.stderr).toContain("docker-read-proxy: refused an interactive login");
    const tunnel = ssh("preview", ["-W", `127.0.0.1:${sshd!.port}`, "root@127.0.0.1"]);
    expect(tunnel.status).not.toBe(0);
    expect(tunnel.stderr).toContain("stdio forwarding failed");
    // The deploy key is not restricted: the same command and the same tunnel work.
    expect(ssh("deploy", ["root@127.0.0.1", "--", "id", "-u"]).stdout.trim()).toBe("0");
    expect(ssh("deploy", ["-W", `127.0.0.1:${sshd!.port}`, "root@127.0.0.1"]).stdout).toMatch(/^SSH-2\.0-OpenSSH/);
  });

  test("the CI SSH action: the key only in a job-local agent; cleanup closes the master connection and removes key and host keys", () => {
    const action = parse(fs.readFileSync(path.join(REPO_ROOT, ".github/actions/dgx-ssh/action.yml"), "utf8"));
    const [load, cleanup] = action.runs.steps as { run: string }[];
    const home = path.join(ws.dir, "home");
    const runnerTemp = path.join(ws.dir, "runner-temp");
    fs.mkdirSync(home);
    fs.mkdirSync(runnerTemp);
    const githubEnv = path.join(ws.dir, "github-env");
    const base = { PATH: process.env.PATH, HOME: home, RUNNER_TEMP: runnerTemp, GITHUB_ENV: githubEnv };
    const step = (script: string, extra: Record<string, string> = {}) => {
      const exported = fs.existsSync(githubEnv)
        ? Object.fromEntries(
            fs
              .readFileSync(githubEnv, "utf8")
              .trim()
              .split("\n")
              .map((l) => l.split(/=(.*)/s).slice(0, 2)),
          )
        : {};
      return spawnSync("bash", ["-c", script], { env: { ...base, ...exported, ...extra }, encoding: "utf8", timeout: 30_000 });
    };
    const loaded = step(load.run, { SSH_KEY: fs.readFileSync(sshd!.keys.preview, "utf8"), KNOWN_HOSTS: sshd!.knownHost });
    expect(`${loaded.status}\n${loaded.stderr}`).toBe("0\n");
    const exported = fs.readFileSync(githubEnv, "utf8");
    const agent = /SSH_AUTH_SOCK=(.+)/.exec(exported)![1];
    expect(fs.readdirSync(runnerTemp, { recursive: true }).map(String).sort()).toEqual([
      "sparky-ssh",
      "sparky-ssh/agent.sock",
      "sparky-ssh/known_hosts",
    ]);
    expect(fs.readFileSync(path.join(home, ".ssh", "known_hosts"), "utf8")).toContain(sshd!.knownHost);
    // A job's connection, as the docker provider opens it: through the agent, multiplexed, persisting.
    const control = path.join(home, ".ssh", "sparky-%C");
    const connect = spawnSync(
      "ssh",
      [
        "-p",
        String(sshd!.port),
        "-o",
        `UserKnownHostsFile=${path.join(home, ".ssh", "known_hosts")}`,
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "ControlMaster=auto",
        "-o",
        `ControlPath=${control}`,
        "-o",
        "ControlPersist=300",
        "root@127.0.0.1",
        "docker",
        "system",
        "dial-stdio",
      ],
      {
        env: { ...process.env, SSH_AUTH_SOCK: agent },
        input: "HEAD /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n",
        encoding: "utf8",
        timeout: 30_000,
      },
    );
    expect(`${connect.status}\n${connect.stdout.split("\r\n")[0]}`).toBe("0\nHTTP/1.1 200 OK");
    const sockets = () => fs.readdirSync(path.join(home, ".ssh")).filter((f) => f.startsWith("sparky-"));
    expect(sockets()).toHaveLength(1);
    const master = path.join(home, ".ssh", sockets()[0]);
    expect(spawnSync("ssh", ["-S", master, "-O", "check", "x"]).status).toBe(0);

    const cleaned = step(cleanup.run);
    expect(`${cleaned.status}\n${cleaned.stdout}`).toBe("0\nSSH connections closed, agent stopped, host keys removed\n");
    expect(spawnSync("ssh", ["-S", master, "-O", "check", "x"]).status).not.toBe(0);
    expect(sockets()).toEqual([]);
    expect(spawnSync("ssh-add", ["-l"], { env: { ...process.env, SSH_AUTH_SOCK: agent } }).status).toBe(2);
    expect(fs.readdirSync(runnerTemp)).toEqual([]);
    expect(fs.readFileSync(path.join(home, ".ssh", "known_hosts"), "utf8")).not.toContain(sshd!.knownHost);
  });
});
