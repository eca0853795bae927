import { ModelValidationError, Problem, validateModel } from "../constructs/model/validate";
import { tinyConfig, tinyProject } from "../support/fixtures";

// Tests break the fixture in ways the input type forbids.
type Mutable = any;

function problemsOf(project: Mutable, config = tinyConfig()): Problem[] {
  return problemsOfAll([project], config);
}

function validateProblems(config: Mutable, options: { trustedHosts?: string[] }): Problem[] {
  try {
    validateModel(config, [tinyProject()], options);
    return [];
  } catch (error) {
    if (error instanceof ModelValidationError) return error.problems;
    throw error;
  }
}

function problemsOfAll(projects: Mutable[], config: Mutable): Problem[] {
  try {
    validateModel(config, projects);
  } catch (error) {
    if (error instanceof ModelValidationError) return error.problems;
    throw error;
  }
  return [];
}

const lines = (problems: Problem[]) => problems.map((p) => `${p.path}: ${p.message}`);

describe("model validation", () => {
  test("the fixture itself is valid", () => {
    expect(problemsOf(tinyProject())).toEqual([]);
  });

  test("unknown workstream dependency names the path and the bad id", () => {
    const p: Mutable = tinyProject();
    p.workstreams[2].dependsOn = ["WS-01", "WS-99"];
    expect(lines(problemsOf(p))).toEqual(['projects.tiny.workstreams.WS-03.dependsOn[1]: unknown workstream "WS-99"']);
  });

  test("unknown references suggest the closest name", () => {
    const p: Mutable = tinyProject();
    p.workstreams[0].orchestrator = "cor";
    p.workstreams[1].milestone = "M7";
    p.services.worker.dependsOn = [{ service: "modle", condition: "started" }];
    p.services.model.volumes = [{ volume: "model", target: "/models" }];
    p.gates[0].after = ["WS-09"];
    p.gates[0].to = ["M2"];
    expect(lines(problemsOf(p))).toEqual(
      expect.arrayContaining([
        'projects.tiny.workstreams.WS-01.orchestrator: unknown orchestrator "cor" (did you mean "core"?)',
        'projects.tiny.workstreams.WS-02.milestone: unknown milestone "M7" (did you mean "M0"?)',
        'projects.tiny.services.worker.dependsOn[0]: "modle" is not a service of tiny (did you mean "model"?)',
        'projects.tiny.services.model.volumes[0].volume: "model" is not a volume of tiny (did you mean "models"?)',
        'projects.tiny.gates.gate-1.after[0]: unknown workstream "WS-09" (did you mean "WS-01"?)',
        'projects.tiny.gates.gate-1.to[0]: unknown milestone "M2" (did you mean "M0"?)',
      ]),
    );
  });

  test("dependency cycles report the cycle path", () => {
    const p: Mutable = tinyProject();
    p.workstreams[0].dependsOn = ["WS-03"];
    p.workstreams[0].milestone = "M1";
    expect(lines(problemsOf(p))).toContain("projects.tiny.workstreams.WS-01.dependsOn: dependency cycle: WS-01 → WS-03 → WS-01");
  });

  test("service dependency cycles are found too", () => {
    const p: Mutable = tinyProject();
    p.services.model.dependsOn = [{ service: "worker" }];
    expect(lines(problemsOf(p))).toContain("projects.tiny.services.model.dependsOn: dependency cycle: model → worker → model");
  });

  test("duplicate ids", () => {
    const p: Mutable = tinyProject();
    p.workstreams.push({ ...p.workstreams[0] });
    p.milestones.push({ ...p.milestones[1] });
    expect(lines(problemsOf(p))).toEqual(
      expect.arrayContaining([
        'projects.tiny.milestones: duplicate milestone id "M1"',
        'projects.tiny.workstreams: duplicate workstream id "WS-01"',
      ]),
    );
  });

  test("a workstream may not be scheduled before its hard dependency's milestone", () => {
    const p2: Mutable = tinyProject();
    p2.workstreams[0].milestone = "M1";
    p2.workstreams[1].dependsOn = [];
    p2.workstreams[2].milestone = "M0";
    p2.workstreams[2].dependsOn = ["WS-01"];
    expect(lines(problemsOf(p2))).toEqual([
      'projects.tiny.workstreams.WS-03.milestone: "M0" is earlier than "M1", the milestone of its hard dependency WS-01',
    ]);
  });

  test("host-port collisions across projects on one host, and with the host's observability set", () => {
    const a: Mutable = tinyProject("alpha");
    const b: Mutable = tinyProject("beta");
    b.network = { name: "beta-net" };
    b.services.worker.ports = [{ container: 5555 }];
    a.services.worker.ports = [{ container: 9090 }];
    expect(lines(problemsOfAll([a, b], tinyConfig(["alpha", "beta"])))).toEqual([
      'projects.alpha.services.worker.ports[0]: host port 9090/tcp on host "box" is already taken by the host\'s prometheus (hosts.box.observability.prometheus.ports[0])',
      'projects.beta.services.model.ports[0]: host port 8188/tcp on host "box" is already taken by alpha/model (projects.alpha.services.model.ports[0])',
    ]);
  });

  test("overlapping subnets on one host, including the observability network's", () => {
    const a: Mutable = tinyProject("alpha");
    const b: Mutable = tinyProject("beta");
    a.network = { name: "alpha-net", subnet: "172.30.0.0/16", gateway: "172.30.0.1" };
    b.network = { name: "beta-net", subnet: "172.30.8.0/24", gateway: "172.30.8.1" };
    b.services = {}; // no port collisions in this test
    expect(lines(problemsOfAll([a, b], tinyConfig(["alpha", "beta"])))).toEqual([
      'projects.alpha.network.subnet: subnet 172.30.0.0/16 overlaps 172.30.0.0/24 (config.hosts.box.observabilityNetwork.subnet) on host "box"; Docker cannot create both networks',
      'projects.beta.network.subnet: subnet 172.30.8.0/24 overlaps 172.30.0.0/16 (projects.alpha.network.subnet) on host "box"; Docker cannot create both networks',
    ]);
    b.network = { name: "beta-net", subnet: "172.31.0.0/24", gateway: "172.31.0.1" };
    const config: Mutable = tinyConfig(["alpha", "beta"]);
    config.hosts.box.observabilityNetwork = { subnet: "10.99.0.0/24", gateway: "10.99.0.1" };
    expect(() => validateModel(config, [a, b])).not.toThrow();
  });

  test("different bind addresses or protocols do not collide, 0.0.0.0 collides with everything", () => {
    const p: Mutable = tinyProject();
    p.services.worker.ports = [
      { container: 8188, bind: "127.0.0.2" },
      { container: 8188, protocol: "udp" },
    ];
    expect(problemsOf(p)).toEqual([]);
    p.services.worker.ports = [{ container: 7000, host: 8188, bind: "0.0.0.0" }];
    const publicHost: Mutable = tinyConfig();
    publicHost.hosts.box.publicPorts = true;
    expect(lines(problemsOf(p, publicHost))).toEqual([
      'projects.tiny.services.worker.ports[0]: host port 8188/tcp on host "box" is already taken by tiny/model (projects.tiny.services.model.ports[0])',
    ]);
  });

  test("a port beyond loopback needs the host's publicPorts", () => {
    const p: Mutable = tinyProject();
    p.services.worker.ports = [{ container: 7000, bind: "0.0.0.0" }];
    expect(lines(problemsOf(p))).toEqual([
      'projects.tiny.services.worker.ports[0].bind: 0.0.0.0 publishes the port beyond host "box"; bind 127.0.0.1 (reach it through an SSH tunnel), or set config.hosts.box.publicPorts',
    ]);
  });

  test("unsafe mounts and unconfined profiles are refused unless allowUnsafe gives a reason; meaningless zeros are refused", () => {
    const p: Mutable = tinyProject();
    p.services.worker.volumes = [
      { hostPath: "/var/run/docker.sock", target: "/var/run/docker.sock" },
      { hostPath: "/etc", target: "/host-etc" },
      { hostPath: "/etc", target: "/host-etc-ro", readOnly: true },
      { hostPath: "/srv/data/../../etc", target: "/x" },
    ];
    p.services.worker.securityOpts = ["no-new-privileges:true", "seccomp=unconfined"];
    p.services.model.healthcheck.interval = "0s";
    p.services.model.memory = "0g";
    expect(lines(problemsOf(p))).toEqual([
      "projects.tiny.services.model.healthcheck.interval: 0s is zero; give it a duration",
      "projects.tiny.services.model.memory: 0g is zero",
      'projects.tiny.services.worker.volumes[3].hostPath: "/srv/data/../../etc" leaves its directory with ".."; name the real path',
      "projects.tiny.services.worker.volumes[0].hostPath: mounts the Docker socket, which is root on the host (or set allowUnsafe: { reason } on the service)",
      'projects.tiny.services.worker.volumes[1].hostPath: mounts the system path "/etc" writable; mount it readOnly (or set allowUnsafe: { reason } on the service)',
      'projects.tiny.services.worker.securityOpts[1]: "seccomp=unconfined" runs the container unconfined (or set allowUnsafe: { reason } on the service)',
    ]);
    p.services.worker.allowUnsafe = { reason: "a test that needs them all" };
    p.services.worker.volumes.pop();
    p.services.model.healthcheck.interval = "1s";
    delete p.services.model.memory;
    expect(problemsOf(p)).toEqual([]);
  });

  test("ssh options that could run a command, and host-key checking off beyond loopback, are refused", () => {
    const config: Mutable = tinyConfig();
    config.hosts.box.dockerHost = "ssh://deploy@dgx.lan";
    config.hosts.box.sshOpts = [
      "-o",
      "ControlMaster=auto",
      "-oProxyCommand=nc evil 22",
      "-F",
      "/tmp/x",
      "-o",
      "StrictHostKeyChecking=no",
      "-i",
      "~/.ssh/id",
    ];
    expect(lines(problemsOf(tinyProject(), config))).toEqual([
      'config.hosts.box.sshOpts[2]: ssh option "ProxyCommand" is not allowed: it could run a command or reach another host (allowed: AddressFamily, BatchMode, Compression, ConnectTimeout, ConnectionAttempts, ControlMaster, ControlPath, ControlPersist, HostKeyAlias, IdentitiesOnly, IdentityFile, LogLevel, Port, ServerAliveCountMax, ServerAliveInterval, StrictHostKeyChecking, TCPKeepAlive, User, UserKnownHostsFile); put it in ~/.ssh/config on the deploying machine instead',
      'config.hosts.box.sshOpts[3]: "-F" is not allowed (allowed: -o <option>, -i, -p, -l, -4, -6, -C, -T, -q, -v)',
      "config.hosts.box.sshOpts[6]: StrictHostKeyChecking=no turns off host-key checking, allowed only for a loopback host; add the host's key to known_hosts instead",
    ]);
    config.hosts.box.dockerHost = "ssh://root@127.0.0.1:2222";
    config.hosts.box.sshOpts = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"];
    expect(problemsOf(tinyProject(), config)).toEqual([]);
  });

  test("with a trusted-host list, every endpoint must be on it; a pg state server beyond loopback needs TLS", () => {
    const config: Mutable = tinyConfig();
    config.hosts.box.dockerHost = "ssh://deploy@dgx.lan";
    config.targets.box.state = { backend: "pg", connection: "postgres://sparky@db.lan/sparky" };
    expect(lines(validateProblems(config, { trustedHosts: ["dgx.lan", "db.lan"] }))).toEqual([
      'config.targets.box.state.connection: connects to db.lan without TLS; add sslmode=verify-full (or require) to the connection string, or keep the state on a host\'s state server (`"server": "<host>"`, reached through SSH)',
    ]);
    config.targets.box.state.connection = "postgres://sparky@db.lan/sparky?sslmode=verify-full";
    config.github.baseUrl = "https://attacker.example/api/v3";
    expect(lines(validateProblems(config, { trustedHosts: ["dgx.lan", "db.lan"] }))).toEqual([
      'config.github.baseUrl: "attacker.example" is not a trusted host (SPARKY_TRUSTED_HOSTS: dgx.lan, db.lan); add it there if it is meant to be reached',
    ]);
    delete config.github.baseUrl;
    expect(validateProblems(config, { trustedHosts: ["dgx.lan", "db.lan"] })).toEqual([]);
    expect(lines(validateProblems(config, { trustedHosts: [] }))).toEqual([
      'config.hosts.box.dockerHost: "dgx.lan" is not a trusted host: SPARKY_TRUSTED_HOSTS is empty; set it (a variable of the Environment) to the host names this config reaches',
      'config.targets.box.state.connection: "db.lan" is not a trusted host: SPARKY_TRUSTED_HOSTS is empty; set it (a variable of the Environment) to the host names this config reaches',
    ]);
  });

  test("a GPU request on a host without GPUs is an error unless the target opts into a visible downgrade", () => {
    expect(lines(problemsOf(tinyProject(), tinyConfig(["tiny"], false)))).toEqual([
      'projects.tiny.services.model.gpu: requests a GPU, but host "box" has none (deploy it to a GPU host, or set targets.box.allowGpuDowngrade to run it on CPU)',
    ]);
    const config: any = tinyConfig(["tiny"], false);
    config.targets.box.allowGpuDowngrade = true;
    const model = validateModel(config, [tinyProject()]);
    expect(lines(model.warnings)).toEqual([
      'projects.tiny.services.model.gpu: requests a GPU, but host "box" has none; running it without a GPU (targets.box.allowGpuDowngrade)',
    ]);
  });

  test('a "healthy" dependency needs a healthcheck', () => {
    const p: Mutable = tinyProject();
    delete p.services.model.healthcheck;
    expect(lines(problemsOf(p))).toEqual([
      'projects.tiny.services.worker.dependsOn[0].condition: "healthy" needs a healthcheck on "model", which has none (add one, or use "started")',
    ]);
  });

  test("literal secret values are rejected", () => {
    const p: Mutable = tinyProject();
    p.services.worker.env = { DB_PASSWORD: "hunter2", UPSTREAM: "ghp_abcdefghijklmnopqrstuvwxyz0123" };
    p.repository.variables = { DEPLOY_TOKEN: "x" };
    expect(lines(problemsOf(p))).toEqual([
      'projects.tiny.services.worker.env.DB_PASSWORD: literal secret value; move it to secretEnv as { name: "DB_PASSWORD", from: "<ENV VAR>" } so the value comes from the environment',
      'projects.tiny.services.worker.env.UPSTREAM: literal secret value; move it to secretEnv as { name: "UPSTREAM", from: "<ENV VAR>" } so the value comes from the environment',
      "projects.tiny.repository.variables.DEPLOY_TOKEN: looks like a secret; declare it under repository.secrets with the environment variable that holds it",
    ]);
  });

  test("malformed image references and durations", () => {
    const p: Mutable = tinyProject();
    p.services.worker.image = { ref: "Example/Worker:latest tag" };
    p.services.model.healthcheck.interval = "30 seconds";
    expect(lines(problemsOf(p))).toEqual([
      'projects.tiny.services.model.healthcheck.interval: must be a duration like "30s", "1m" or "1m30s"',
      "projects.tiny.services.worker.image.ref: is not a valid image reference (expected [registry/]name[:tag][@sha256:digest])",
    ]);
  });

  test("every problem is reported at once", () => {
    const p: Mutable = tinyProject();
    p.workstreams[2].dependsOn = ["WS-99"];
    p.services.worker.env = { API_KEY: "abc" };
    p.services.worker.image = { ref: "bad image" };
    const config: any = tinyConfig();
    config.hosts.box.dockerHost = "http://nope";
    const problems = (() => {
      try {
        validateModel(config, [p]);
        return [];
      } catch (e) {
        return (e as ModelValidationError).problems;
      }
    })();
    expect(problems.map((x) => x.path)).toEqual(
      expect.arrayContaining(["config.hosts.box.dockerHost", "projects.tiny.services.worker.image.ref"]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(2);
  });

  test("config references: unknown host, target and project", () => {
    const config: any = tinyConfig(["tiny", "ghost"]);
    config.targets.box.hosts = ["box", "bx"];
    config.defaultTarget = "nowhere";
    let problems: Problem[] = [];
    try {
      validateModel(config, [tinyProject()]);
    } catch (e) {
      problems = (e as ModelValidationError).problems;
    }
    expect(lines(problems)).toEqual([
      'config.defaultTarget: unknown target "nowhere"',
      'config.hosts.box.projects[1]: unknown project "ghost"',
      'config.targets.box.hosts[1]: unknown host "bx" (did you mean "box"?)',
      'target: unknown target "nowhere"',
    ]);
  });
});
