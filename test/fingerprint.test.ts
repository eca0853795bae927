// The refresh skip's judgements (tools/engine/fingerprint.ts), without Docker or the engine: what counts as the same
// live objects, and as drift.
import { defaultIgnoreFile, findIgnore, loadIgnoreList } from "../tools/drift/ignore";
import { REPO_ROOT } from "../tools/engine/toolchain";
import { fingerprintOf, foundDrift, stable } from "../tools/engine/fingerprint";
import { change, plan } from "./support/plan-json";

const mount = (destination: string) => ({ Type: "volume", Destination: destination, RW: true });
const networkData = (...names: string[]) => names.map((network_name, i) => ({ network_name, ip_address: `172.30.0.${i + 2}` }));
/** What the reviewed config/drift-ignore.json accepts in a Docker stack. */
const ignore = loadIgnoreList(defaultIgnoreFile(REPO_ROOT));
const networkDataAccepted = (address: string, attribute: string) => findIgnore(ignore, "app-services", address, attribute) !== undefined;

describe("live fingerprint", () => {
  test("a container's mounts count as a set: Docker lists them in no fixed order", () => {
    const a = { Name: "/w", Mounts: [mount("/data"), mount("/cache")], State: { Status: "running" } };
    const b = { Name: "/w", Mounts: [mount("/cache"), mount("/data")], State: { Status: "running" } };
    expect(stable("container", a)).toEqual(stable("container", b));
  });

  test("the digest of a stack's objects is the same for the same objects with their mounts read in another order", () => {
    const container = { Name: "/w", Mounts: [mount("/data"), mount("/cache")] };
    const live = (mounts: unknown[], networks: unknown[]) => [
      { endpoint: "unix:///var/run/docker.sock", kind: "container" as const, objects: [{ ...container, Mounts: mounts }] },
      { endpoint: "unix:///var/run/docker.sock", kind: "network" as const, objects: networks as Record<string, unknown>[] },
    ];
    const objects = live([mount("/data"), mount("/cache")], [{ Name: "n" }]);
    expect(fingerprintOf(live([mount("/cache"), mount("/data")], [{ Name: "n" }]))).toBe(fingerprintOf(objects));
    expect(fingerprintOf(live([mount("/data"), mount("/cache")], []))).not.toBe(fingerprintOf(objects));
  });

  test("health probes and start times do not count; a changed mount does", () => {
    const a = { Mounts: [mount("/data")], State: { Status: "running", StartedAt: "1", Health: { Status: "healthy" } } };
    const b = { Mounts: [mount("/data")], State: { Status: "running", StartedAt: "2", Health: { Status: "starting" } } };
    expect(stable("container", a)).toEqual(stable("container", b));
    expect(stable("container", a)).not.toEqual(stable("container", { ...a, Mounts: [mount("/other")] }));
  });
});

describe("drift found by a refreshing plan", () => {
  const drift = (before: unknown, after: unknown, actions = ["update"]) =>
    plan({ resource_drift: [change("docker_container.worker", actions, before, after)] });

  test("a zero value for an unset one is not drift; a changed setting is", () => {
    expect(foundDrift(drift({ env: null }, { env: [] }))).toBe(false);
    expect(foundDrift(drift({ restart: "unless-stopped" }, { restart: "no" }))).toBe(true);
  });

  test("network data in another order is drift only where the ignore list does not accept it", () => {
    const reordered = drift({ network_data: networkData("a", "b") }, { network_data: networkData("b", "a") });
    expect(foundDrift(reordered)).toBe(true);
    expect(foundDrift(reordered, networkDataAccepted)).toBe(false);
  });

  test("a deleted object is always drift", () => {
    expect(foundDrift(drift({ name: "w" }, null, ["delete"]), () => true)).toBe(true);
  });
});
