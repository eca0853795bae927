// Sealed plans: the change set a preview publishes instead of its plan files (per resource: address, action and
// a digest per attribute the plan sets, secrets only through a slow hash), the comparison on merge that names
// every difference, and plan paths from plan-preview.json that must stay inside the output directory.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { applyFrom, planPathInside } from "../tools/plan-preview/apply";
import { ChangeSet, CHANGESET_FORMAT, compareChangeSets, stackChangeSet } from "../tools/plan-preview/changeset";
import { createMasker } from "../tools/engine/mask";
import type { PlanJson } from "../tools/engine/stacks";
import { writeOutputs } from "../tools/plan-preview/run";
import { FIXTURE_ECHO, FIXTURE_ROTATED, FIXTURE_SECRET, fixtureMasker, meta, outcome, plan } from "./fixtures/plans/golden";

const changeSet = (...stacks: [string, PlanJson | undefined][]): ChangeSet => ({
  format: CHANGESET_FORMAT,
  stacks: stacks.map(([stack, json]) => stackChangeSet(stack, json, fixtureMasker())),
});
const edited = (json: PlanJson, address: string, edit: (change: any) => void): PlanJson => {
  const copy = structuredClone(json);
  edit(copy.resource_changes!.find((c) => c.address === address)!.change);
  return copy;
};

describe("the change set of a real plan", () => {
  test("one entry per changed resource with its action; a destroy has no attributes; unchanged resources are left out", () => {
    const set = stackChangeSet("s", plan("mixed"), fixtureMasker());
    expect(set.status).toBe("changes");
    expect(set.resources.map((r) => [r.address, r.action])).toEqual([
      ["docker_container.api", "update"],
      ["docker_container.extra", "create"],
      ["docker_container.old", "delete"],
      ["docker_container.worker", "replace"],
      ["docker_image.extra", "create"],
      ["docker_image.old", "delete"],
    ]);
    const byAddress = Object.fromEntries(set.resources.map((r) => [r.address, r.attributes]));
    expect(byAddress["docker_container.old"]).toEqual({});
    expect(Object.keys(byAddress["docker_container.api"])).toEqual(["restart"]);
    expect(Object.keys(byAddress["docker_container.worker"])).toEqual(expect.arrayContaining(["env"]));
    expect(Object.values(byAddress["docker_container.extra"]).every((d) => /^[0-9a-f]{64}$/.test(d))).toBe(true);
    expect(stackChangeSet("s", plan("noop"), fixtureMasker())).toEqual({ stack: "s", status: "no-changes", resources: [] });
  });

  test("holds no secret, in any form, and a rotated secret still changes its digest", () => {
    const create = changeSet(["g", plan("github-create")]);
    const update = changeSet(["g", plan("github-update")]);
    for (const text of [JSON.stringify(create), JSON.stringify(update), JSON.stringify(changeSet(["s", plan("create")]))])
      for (const secret of [FIXTURE_SECRET, FIXTURE_ROTATED, FIXTURE_ECHO])
        for (const form of [secret, Buffer.from(secret).toString("base64").slice(0, 16), encodeURIComponent(secret)])
          expect(text).not.toContain(form);
    const secretOf = (set: ChangeSet) => set.stacks[0].resources.find((r) => r.address.startsWith("github_actions_secret."))!;
    expect(secretOf(update).action).toBe("replace");
    expect(secretOf(update).attributes.plaintext_value).toMatch(/^[0-9a-f]{64}$/);
    expect(secretOf(update).attributes.plaintext_value).not.toBe(secretOf(create).attributes.plaintext_value);
  });

  test("is the same for the same plan, and for a plan that only started from a different state", () => {
    expect(changeSet(["s", plan("mixed")])).toEqual(changeSet(["s", plan("mixed")]));
    const otherBefore = edited(plan("mixed"), "docker_container.api", (c) => (c.before.restart = "on-failure"));
    expect(compareChangeSets(changeSet(["s", plan("mixed")]), changeSet(["s", otherBefore]))).toEqual([]);
  });
});

describe("comparing the reviewed change set with the plan on merge", () => {
  const reviewed = changeSet(["a-services", plan("mixed")], ["a-github", plan("github-update")]);

  test("an attribute set differently, a different action, a resource more or less: every difference named", () => {
    let now = edited(plan("mixed"), "docker_container.extra", (c) => (c.after.image = "sha256:other"));
    now = edited(now, "docker_container.api", (c) => {
      c.actions = ["delete", "create"];
      c.after.restart = "always";
    });
    now = { ...now, resource_changes: now.resource_changes!.filter((c) => c.address !== "docker_image.old") };
    now.resource_changes!.push({
      ...plan("mixed").resource_changes!.find((c) => c.address === "docker_image.extra")!,
      address: "docker_image.sneaky",
    });
    expect(compareChangeSets(reviewed, changeSet(["a-services", now], ["a-github", plan("github-update")]))).toEqual([
      "a-services: docker_container.api: reviewed as update, now replace",
      "a-services: docker_container.extra: `image` differs from the reviewed plan",
      "a-services: docker_image.old: reviewed as delete, but not planned now",
      "a-services: docker_image.sneaky: create now, but not in the reviewed preview",
    ]);
  });

  test("a secret's value that changed since the review is a difference, named without the value", () => {
    const rotated = edited(
      plan("github-update"),
      plan("github-update").resource_changes!.find((c) => c.address.startsWith("github_actions_secret."))!.address,
      (c) => {
        c.after.plaintext_value = "a-different-secret-value";
      },
    );
    const [difference] = compareChangeSets(reviewed, changeSet(["a-services", plan("mixed")], ["a-github", rotated]));
    expect(difference).toMatch(/^a-github: github_actions_secret\.\S+: `plaintext_value` differs from the reviewed plan$/);
  });

  test("stacks: one that now plans changes but was not reviewed, one reviewed that is not planned, one that fails", () => {
    expect(compareChangeSets(reviewed, changeSet(["a-services", undefined], ["b-services", plan("create")]))).toEqual([
      "a-services: could not be planned now",
      "a-github: reviewed with 19 changes, but not planned now",
      "b-services: not in the reviewed preview, but now plans 9 changes",
    ]);
    expect(
      compareChangeSets(reviewed, { ...reviewed, stacks: [...reviewed.stacks, stackChangeSet("c", plan("noop"), createMasker())] }),
    ).toEqual([]);
  });
});

describe("plan-preview writes the change set next to the comment", () => {
  test("changeset.json with the commit, one entry per stack", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-changeset-"));
    try {
      writeOutputs(out, [outcome("mixed"), { stack: "broken", error: "boom" }], fixtureMasker(), { commit: "0123abc" });
      const written = JSON.parse(fs.readFileSync(path.join(out, "changeset.json"), "utf8"));
      expect(written.format).toBe(CHANGESET_FORMAT);
      expect(written.commit).toBe("0123abc");
      expect(written.stacks.map((s: any) => [s.stack, s.status])).toEqual([
        [`${meta().id}-services`, "changes"],
        ["broken", "error"],
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("plan paths from plan-preview.json stay inside the output directory", () => {
  test("relative paths inside pass; ../ and absolute paths are refused", () => {
    expect(planPathInside("/out", "a-services/plan.tfplan")).toBe("/out/a-services/plan.tfplan");
    for (const bad of ["../x.tfplan", "a/../../x.tfplan", "/etc/passwd", "a/../../../out/x"])
      expect(() => planPathInside("/out", bad)).toThrow(/leaves \/out; only paths inside the output directory are read/);
  });

  test("apply --from refuses before applying anything", async () => {
    const from = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-apply-from-"));
    try {
      const stacks = [
        { stack: "a", status: "changes", planFile: "a/plan.tfplan", planSha256: "0".repeat(64) },
        { stack: "b", status: "changes", planFile: "../../home/runner/stolen.tfplan", planSha256: "0".repeat(64) },
      ];
      fs.writeFileSync(path.join(from, "plan-preview.json"), JSON.stringify({ stacks }));
      await expect(applyFrom({ env: {}, projectRoot: from, from, log: () => {} })).rejects.toThrow(
        /"\.\.\/\.\.\/home\/runner\/stolen\.tfplan" in plan-preview\.json leaves/,
      );
      expect(fs.readdirSync(from)).toEqual(["plan-preview.json"]);
    } finally {
      fs.rmSync(from, { recursive: true, force: true });
    }
  });
});
