// The ssh options an ssh:// host is reached with: connection sharing by default (constructs/model/ssh.ts), the same
// options in the provider block the engine reads, the Docker CLI path and the state server's endpoint; and the
// socket's directory prepared owner-only before ssh runs (tools/engine/ssh-control.ts).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { blueprints } from "../blueprints";
import { DEFAULT_CONFIG } from "../config/default-config";
import { connectionSharing, effectiveSshOpts } from "../constructs/model/ssh";
import { validateModel } from "../constructs/model/validate";
import { defineSystem } from "../stacks/system";
import { controlDirectory, ensureControlDirectory } from "../tools/engine/ssh-control";

const SHARED = ["-o", "ControlMaster=auto", "-o", "ControlPath=~/.ssh/sparky-%C", "-o", "ControlPersist=10m"];

/** The dgx target of the embedded config, with the dgx host's sshOpts set (or left unset). */
function dgx(sshOpts?: string[]) {
  const config = structuredClone(DEFAULT_CONFIG) as any;
  if (sshOpts) config.hosts.dgx.sshOpts = sshOpts;
  return validateModel(config, blueprints, { target: "dgx" });
}

describe("ssh options of an ssh:// host", () => {
  test("by default every connection to the host shares one, and the engine, the tools and the state tunnel see the same options", () => {
    const model = dgx();
    const host = model.hosts[0];
    expect(host.spec.sshOpts).toEqual(SHARED);
    expect(host.stateServer?.endpoint.sshOpts).toEqual(SHARED);
    const app = Testing.app();
    const stacks = defineSystem(app, model, path.dirname(app.outdir));
    const provider = JSON.parse(Testing.synth(stacks.services["dgx-pixels"])).provider.docker[0];
    expect(provider).toMatchObject({ host: "ssh://ubuntu@dgx-spark", ssh_opts: SHARED });
  });

  test("a host's own options come first, and each set of them gets a connection of its own", () => {
    const readOnly = dgx(["-i", "~/.ssh/dgx_read_only"]).hosts[0].spec.sshOpts;
    const deploy = dgx(["-i", "~/.ssh/dgx_deploy"]).hosts[0].spec.sshOpts;
    expect(readOnly.slice(0, 2)).toEqual(["-i", "~/.ssh/dgx_read_only"]);
    expect(readOnly.slice(2)).toEqual(connectionSharing(["-i", "~/.ssh/dgx_read_only"]));
    const controlPath = (opts: string[]) => opts.find((o) => o.startsWith("ControlPath="));
    expect(controlPath(readOnly)).toMatch(/^ControlPath=~\/\.ssh\/sparky-[0-9a-f]{8}-%C$/);
    expect(controlPath(readOnly)).not.toBe(controlPath(deploy));
  });

  test("a host that sets ControlMaster, ControlPath or ControlPersist itself is left as it is", () => {
    for (const own of [["-o", "ControlMaster=no"], ["-oControlPath=/run/me/%C"], ["-o", "controlpersist 1m"]])
      expect(dgx(own).hosts[0].spec.sshOpts).toEqual(own);
  });

  test("a local engine gets no ssh options", () => {
    expect(effectiveSshOpts({ dockerHost: "unix:///var/run/docker.sock", sshOpts: [] })).toEqual([]);
  });
});

describe("the shared connection's socket directory", () => {
  let dir = "";
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-ssh-control-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("`~` is the account's home, as ssh expands it; none for ControlPath=none", () => {
    expect(controlDirectory(SHARED)).toBe(path.join(os.userInfo().homedir, ".ssh"));
    expect(controlDirectory(["-o", "ControlPath=none"])).toBeUndefined();
    expect(controlDirectory([])).toBeUndefined();
  });

  test("a missing directory is made owner-only; one others may write to is refused with the fix", () => {
    const sockets = path.join(dir, "sockets");
    ensureControlDirectory(["-o", `ControlPath=${sockets}/%C`]);
    expect(fs.statSync(sockets).mode & 0o777).toBe(0o700);
    fs.chmodSync(sockets, 0o770);
    expect(() => ensureControlDirectory(["-o", `ControlPath=${sockets}/%C`])).toThrow(`chmod go-w ${sockets}`);
  });
});
