// Unit tests of the drift tooling: ignore list validation and matching, the JSON-only analysis (normalisation
// noise, out-of-band changes, deletions, unapplied code, masking), the issue planner and the CLI arguments.
import { change, deployed, onePlan, plan } from "./support/plan-json";
import { analyzeStack, diffAttributes, exitCodeFor, semanticEqual, summarize } from "../tools/drift/analyze";
import { attributeCovers, findIgnore, IgnoreListError, loadIgnoreList, parseIgnoreList } from "../tools/drift/ignore";
import { SENSITIVE as MASK } from "../tools/engine/mask";
import { markerFor, planIssueActions } from "../tools/drift/issues";
import { parseArgs } from "../tools/drift/cli";
import * as path from "node:path";

const container = (over: Record<string, unknown> = {}) => ({
  name: "p-worker",
  must_run: true,
  env: ["LOG_LEVEL=info", "API_TOKEN=abc"],
  ports: [{ external: 20001, internal: 5555, ip: "127.0.0.1", protocol: "tcp" }],
  dns: null,
  storage_opts: null,
  networks_advanced: [{ name: "p-net", gw_priority: null, aliases: ["worker"] }],
  network_data: [{ ip_address: "172.20.0.2" }],
  ...over,
});

const C = "docker_container.worker";

describe("ignore list", () => {
  test("the reviewed list in config/ validates", () => {
    const entries = loadIgnoreList(path.join(__dirname, "..", "config", "drift-ignore.json"));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.reason.length).toBeGreaterThan(10);
  });

  test("unknown keys and missing reasons are errors naming the path", () => {
    expect(() =>
      parseIgnoreList({ ignore: [{ stack: "*", address: "*", attribute: "etag", reason: "provider etag churn", why: "x" }] }),
    ).toThrow(/ignore\[0\]/);
    try {
      parseIgnoreList({
        ignore: [
          { stack: "*", address: "*", attribute: "etag", reason: "provider etag churn" },
          { stack: "*", address: "*", attribute: "x" },
        ],
      });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(IgnoreListError);
      expect((e as IgnoreListError).problems.join("\n")).toMatch(/^ignore\[1\]\.reason: /);
    }
    expect(() => parseIgnoreList({ ignore: [], extra: 1 })).toThrow(/extra|Unrecognized/);
  });

  test("globs and attribute ancestry", () => {
    expect(attributeCovers("labels", "labels[0].value")).toBe(true);
    expect(attributeCovers("labels", "labelsx")).toBe(false);
    expect(attributeCovers("networks_advanced[*].gw_priority", "networks_advanced[0].gw_priority")).toBe(true);
    const entries = parseIgnoreList({
      ignore: [{ stack: "*-github", address: "github_*", attribute: "etag", reason: "etag churns on every read" }],
    });
    expect(findIgnore(entries, "a-github", "github_repository.repo", "etag")).toBeDefined();
    expect(findIgnore(entries, "a-services", "github_repository.repo", "etag")).toBeUndefined();
    expect(findIgnore(entries, "a-github", "github_repository.repo")).toBeUndefined(); // deletion needs attribute "*"
  });
});

describe("analysis", () => {
  test("SDKv2 normalisation (null vs [] / {} / 0) is not drift", () => {
    expect(semanticEqual(null, [])).toBe(true);
    expect(semanticEqual({ a: null }, { a: {}, b: 0 })).toBe(true);
    expect(semanticEqual(["a"], [])).toBe(false);
    const before = container();
    const after = container({ dns: [], storage_opts: {}, networks_advanced: [{ name: "p-net", gw_priority: 0, aliases: ["worker"] }] });
    const r = analyzeStack(
      "p-services",
      onePlan(
        plan({ resource_drift: [change(C, ["update"], before, after)], ...deployed }),
        plan({ resource_changes: [change(C, ["no-op"], after, after)] }),
      ),
    );
    expect(r).toMatchObject({ status: "clean", drift: [], unapplied: [] });
  });

  test("a stopped container: attributes before → after, secrets masked, replace explained by drift", () => {
    const before = container();
    const after = container({ must_run: false, ports: [], network_data: [{ ip_address: "" }] });
    const ignore = parseIgnoreList({
      ignore: [{ stack: "*", address: "docker_container.*", attribute: "network_data", reason: "runtime addresses change on restart" }],
    });
    const normal = change(
      C,
      ["delete", "create"],
      after,
      { ...container(), network_data: null },
      { after_unknown: { network_data: true } },
    );
    const r = analyzeStack(
      "p-services",
      onePlan(plan({ resource_drift: [change(C, ["update"], before, after)], ...deployed }), plan({ resource_changes: [normal] })),
      { ignore },
    );
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([
      {
        address: C,
        type: "docker_container",
        kind: "changed",
        attributes: [
          { path: "must_run", before: true, after: false },
          { path: "ports", before: before.ports, after: [] },
        ],
      },
    ]);
    expect(r.ignored).toEqual([{ address: C, path: "network_data[0].ip_address", reason: "runtime addresses change on restart" }]);
    expect(r.explainedByDrift).toEqual([C]);
    expect(r.unapplied).toEqual([]);
  });

  test("deleted out of band is reported; the create that restores it is explained", () => {
    const r = analyzeStack(
      "p-services",
      onePlan(
        plan({ resource_drift: [change("docker_network.network", ["delete"], { name: "p-net" }, null)], ...deployed }),
        plan({
          resource_changes: [
            change("docker_network.network", ["create"], null, { name: "p-net", id: null }, { after_unknown: { id: true } }),
          ],
        }),
      ),
    );
    expect(r.drift).toEqual([{ address: "docker_network.network", type: "docker_network", kind: "deleted", attributes: [] }]);
    expect(r.unapplied).toEqual([]);
    expect(exitCodeFor(summarize([r]))).toBe(2);
  });

  test("unapplied code is reported apart from drift, with masked secret values", () => {
    const before = container();
    const after = container({ env: ["LOG_LEVEL=debug", "API_TOKEN=abc"] });
    const r = analyzeStack(
      "p-services",
      onePlan(plan({ resource_drift: [], ...deployed }), plan({ resource_changes: [change(C, ["update"], before, after)] })),
    );
    expect(r.status).toBe("drift");
    expect(r.drift).toEqual([]);
    expect(r.unapplied[0]).toMatchObject({ address: C, actions: ["update"] });
    expect(r.unapplied[0].attributes).toEqual([
      { path: "env", before: ["LOG_LEVEL=info", `API_TOKEN=${MASK}`], after: ["LOG_LEVEL=debug", `API_TOKEN=${MASK}`] },
    ]);
  });

  test("never-applied stacks are 'undeployed', not drift", () => {
    const r = analyzeStack(
      "p-services",
      onePlan(plan({}), plan({ resource_changes: [change("docker_network.network", ["create"], null, { name: "n" })] })),
    );
    expect(r.status).toBe("undeployed");
    expect(exitCodeFor(summarize([r]))).toBe(0);
  });

  test("diffAttributes descends into objects and equal-length object lists, skips unknowns", () => {
    expect(diffAttributes({ a: [{ b: 1 }, { b: 2 }] }, { a: [{ b: 1 }, { b: 3 }] }).map((d) => d.segments)).toEqual([["a", 1, "b"]]);
    expect(diffAttributes({ a: 1, id: "x" }, { a: 1, id: null }, { id: true })).toEqual([]);
  });
});

describe("issues", () => {
  const stack = (name: string, status: "clean" | "drift" | "error") => ({
    stack: name,
    status,
    drift: status === "drift" ? [{ address: C, type: "docker_container", kind: "deleted" as const, attributes: [] }] : [],
    unapplied: [],
    explainedByDrift: [],
    ignored: [],
  });
  const report = summarize([
    stack("a-services", "drift"),
    stack("b-services", "clean"),
    stack("c-services", "error"),
    stack("d-services", "drift"),
  ]);

  test("create, update in place, reopen, close; errors leave issues alone", () => {
    const existing = [
      { number: 1, state: "open" as const, body: `${markerFor("b-services")}\nold` },
      { number: 2, state: "open" as const, body: `${markerFor("c-services")}\nold` },
      { number: 3, state: "closed" as const, body: `${markerFor("d-services")}\nold` },
      { number: 4, state: "open" as const, body: "unrelated" },
    ];
    const actions = planIssueActions(report, existing, "https://run");
    expect(actions.map((a) => [a.kind, a.stack, "number" in a ? a.number : undefined])).toEqual([
      ["create", "a-services", undefined],
      ["close", "b-services", 1],
      ["update", "d-services", 3],
    ]);
    const created = actions[0] as { body: string; title: string };
    expect(created.body.startsWith(markerFor("a-services"))).toBe(true);
    expect(created.title).toBe("Drift in a-services: 1 out-of-band change");
    expect(actions[2]).toMatchObject({ reopen: true });
  });

  test("an unchanged drift issue is not rewritten; one issue per stack (newest open wins)", () => {
    const first = planIssueActions(summarize([stack("a-services", "drift")]), [], "u")[0] as { body: string };
    expect(planIssueActions(summarize([stack("a-services", "drift")]), [{ number: 9, state: "open", body: first.body }], "u")).toEqual([]);
    const two = planIssueActions(summarize([stack("a-services", "clean")]), [
      { number: 5, state: "closed", body: markerFor("a-services") },
      { number: 7, state: "open", body: markerFor("a-services") },
    ]);
    expect(two).toEqual([expect.objectContaining({ kind: "close", number: 7 })]);
  });
});

describe("cli arguments", () => {
  test("check and reconcile forms", () => {
    expect(parseArgs(["--stacks", "*-services", "--json", "r.json"])).toMatchObject({
      command: "check",
      stacks: "*-services",
      json: "r.json",
      synth: true,
    });
    expect(parseArgs(["reconcile", "--accept", "--no-synth"])).toMatchObject({ command: "reconcile", mode: "accept", synth: false });
    expect(parseArgs(["reconcile", "--restore", "--allow-destroy"])).toMatchObject({ mode: "restore", allowDestroy: true });
    expect(parseArgs(["reconcile", "--restore"])).toMatchObject({ allowDestroy: false });
    expect(() => parseArgs(["reconcile", "--accept", "--allow-destroy"])).toThrow(/--allow-destroy only with reconcile --restore/);
    expect(() => parseArgs(["reconcile"])).toThrow(/--restore/);
    expect(() => parseArgs(["--restore"])).toThrow(/only with reconcile/);
    expect(() => parseArgs(["reconcile", "--restore", "--accept"])).toThrow(/one of/);
    expect(() => parseArgs(["--bogus"])).toThrow(/unknown argument/);
  });
});
