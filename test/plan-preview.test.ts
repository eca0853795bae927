// Plan preview: golden renderings of REAL plans (test/fixtures/plans, made by generate.ts with OpenTofu against
// the local Docker engine and the GitHub emulator), masking, the comment-size limit and exit codes.
import * as fs from "node:fs";
import * as path from "node:path";
import { createMasker } from "../tools/engine/mask";
import { selectStacks } from "../tools/engine/select";
import { attributeLines } from "../tools/plan-preview/attributes";
import { COMMENT_LIMIT, fitLines, MARKER, renderComment, waterFill } from "../tools/plan-preview/render";
import { summarizePlan } from "../tools/plan-preview/summary";
import { EXPECTED_DIR, errorText, fixtureMasker, goldenCases, meta, outcome, plan } from "./fixtures/plans/golden";
import { OUT_OF_BAND_TITLE } from "../support/plan-preview-scenario";

const m = meta();
const stack = `${m.id}-services`;
const repoStack = `${m.id}-github`;
const fenceLines = (md: string) => md.split("\n").filter((l) => /^\s*(```|~~~)/.test(l)).length;
const count = (md: string, s: string) => md.split(s).length - 1;

describe("golden renderings of real plans", () => {
  for (const [name, render] of Object.entries(goldenCases())) {
    test(`${name}.md matches`, () => {
      expect(render().markdown).toBe(fs.readFileSync(path.join(EXPECTED_DIR, `${name}.md`), "utf8"));
    });
  }
});

describe("summary, banner and details", () => {
  test("create: 9 to add (network, 4 images, 4 containers), nothing destroyed, exit 2", () => {
    const s = summarizePlan(plan("create"));
    expect(s.counts).toEqual({ add: 9, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, close: 0 });
    const r = renderComment([outcome("create")], { masker: fixtureMasker() });
    expect(r.exitCode).toBe(2);
    expect(r.markdown).toContain(`| \`${stack}\` | 📝 changes | 9 | 0 | 0 | 0 | 0 | 0 | \`${m.sha256.create.slice(0, 12)}\` |`);
    expect(r.markdown).not.toContain("[!CAUTION]");
  });

  test("changed outside: only drifted objects the plan changes or depends on are listed, not refresh noise", () => {
    const real = plan("github-update");
    const noise = real.resource_drift!.find((d) => d.address === "github_issue.issue-WS-01")!;
    const etagOnly = {
      ...noise,
      address: "github_issue.unrelated",
      change: { ...noise.change, after: { ...(noise.change.before as object), etag: 'W/"re-read"' } },
    };
    const withNoise = { ...real, resource_drift: [...real.resource_drift!, etagOnly] };
    // WS-01's title was changed out of band; the other issues' bodies (people's) are not in any plan.
    expect(summarizePlan(withNoise).drift).toEqual(["github_issue.issue-WS-01"]);
    const dependedOn = {
      ...withNoise,
      relevant_attributes: [...real.relevant_attributes!, { resource: "github_issue.unrelated", attribute: ["etag"] }],
    };
    expect(summarizePlan(dependedOn).drift).toContain("github_issue.unrelated");
    const { relevant_attributes: _older, ...olderEngine } = withNoise;
    expect(summarizePlan(olderEngine).drift).toContain("github_issue.unrelated");
  });

  test("mixed: update in place, replace, destroy and create counted and the banner lists every destroy and replace", () => {
    const r = renderComment([outcome("mixed")], { masker: fixtureMasker() });
    expect(r.exitCode).toBe(2);
    expect(r.markdown).toContain(`| \`${stack}\` | 📝 changes | 2 | 1 | 2 | 1 | 0 | 0 | \`${m.sha256.mixed.slice(0, 12)}\` |`);
    const banner = r.markdown.split("\n").filter((l) => l.startsWith("> "));
    expect(banner).toEqual([
      "> [!CAUTION]",
      "> **2 to destroy, 1 to replace.** These objects are deleted (replacements are recreated; their data and uptime are not kept):",
      `> - 🗑️ **destroy** \`${stack}\` · \`docker_container.old\`: no longer in the configuration (\`delete_because_no_resource_config\`)`,
      `> - 🗑️ **destroy** \`${stack}\` · \`docker_image.old\`: no longer in the configuration (\`delete_because_no_resource_config\`)`,
      `> - 🔁 **replace** \`${stack}\` · \`docker_container.worker\`: an attribute cannot be updated in place (\`replace_because_cannot_update\`); forced by \`env\``,
    ]);
    expect(r.markdown).toContain('~ restart: "unless-stopped" → "always"');
    expect(r.markdown).toMatch(/~ env: \[[^\n]*"LOG_LEVEL=info"[^\n]*\] → \[[^\n]*"LOG_LEVEL=debug"[^\n]*\] {3}# forces replacement/);
    expect(r.markdown).toContain(`Plan file \`${stack}/plan.tfplan\`, sha256 \`${m.sha256.mixed}\``);
    expect(r.markdown.startsWith(MARKER + "\n")).toBe(true);
  });

  test("no-op: exit 0, collapsed into one line, no details", () => {
    const r = renderComment([outcome("noop"), outcome("noop", "other-services")], { masker: fixtureMasker() });
    expect(r.exitCode).toBe(0);
    expect(r.markdown).toContain(
      `✅ **No changes** (2): \`${stack}\` \`${m.sha256.noop.slice(0, 12)}\`, \`other-services\` \`${m.sha256.noop.slice(0, 12)}\``,
    );
    expect(r.markdown).not.toContain("| stack | status |");
    expect(r.markdown).not.toContain("📝");
  });

  test("github create: repository, default branch, ruleset, 16 labels, 3 milestones, 5 issues, 11 files, the Actions secret and the issue numbers variable, masked", () => {
    const s = summarizePlan(plan("github-create"));
    expect(s.counts).toEqual({ add: 40, change: 0, destroy: 0, replace: 0, import: 0, move: 0, forget: 0, close: 0 });
    const types: Record<string, number> = {};
    for (const c of s.changes) types[c.rc.type] = (types[c.rc.type] ?? 0) + 1;
    expect(types).toEqual({
      github_actions_secret: 1,
      github_actions_variable: 1,
      github_branch_default: 1,
      github_issue: 5,
      github_issue_label: 16,
      github_repository: 1,
      github_repository_file: 11,
      github_repository_milestone: 3,
      github_repository_ruleset: 1,
    });
    const r = renderComment([outcome("github-create")], { masker: fixtureMasker() });
    expect(r.exitCode).toBe(2);
    expect(r.markdown).toContain(
      `| \`${repoStack}\` | 📝 changes | 40 | 0 | 0 | 0 | 0 | 0 | \`${m.sha256["github-create"].slice(0, 12)}\` |`,
    );
    expect(r.markdown).toContain(
      "**`github_actions_secret.secret-DEPLOY_TOKEN`**\n```diff\n+ destroy_on_drift = true\n+ plaintext_value = (sensitive)\n",
    );
    expect(r.markdown).not.toContain("[!CAUTION]");
  });

  test("github update: out-of-band rename updated in place, dropped milestone destroyed, files replaced for the new branch, rotated secret replaced and masked", () => {
    const r = renderComment([outcome("github-update")], { masker: fixtureMasker() });
    expect(r.exitCode).toBe(2);
    expect(r.markdown).toContain(
      `| \`${repoStack}\` | 📝 changes | 1 | 4 | 2 | 12 | 0 | 0 | \`${m.sha256["github-update"].slice(0, 12)}\` |`,
    );
    const banner = r.markdown.split("\n").filter((l) => l.startsWith("> "));
    expect(banner.slice(0, 4)).toEqual([
      "> [!CAUTION]",
      "> **2 to destroy, 12 to replace.** These objects are deleted (replacements are recreated; their data and uptime are not kept):",
      `> - 🗑️ **destroy** \`${repoStack}\` · \`github_issue_label.label-milestone-M2\`: no longer in the configuration (\`delete_because_no_resource_config\`)`,
      `> - 🗑️ **destroy** \`${repoStack}\` · \`github_repository_milestone.milestone-M2\`: no longer in the configuration (\`delete_because_no_resource_config\`)`,
    ]);
    // integrations/github 6.9.0: plaintext_value forces a new secret.
    expect(banner[4]).toBe(
      `> - 🔁 **replace** \`${repoStack}\` · \`github_actions_secret.secret-DEPLOY_TOKEN\`: an attribute cannot be updated in place (\`replace_because_cannot_update\`); forced by \`plaintext_value\``,
    );
    expect(banner.slice(5)).toHaveLength(11);
    for (const line of banner.slice(5))
      expect(line).toMatch(
        /^> - 🔁 \*\*replace\*\* `[^`]+` · `github_repository_file\.file-[^`]+`: an attribute cannot be updated in place \(`replace_because_cannot_update`\); forced by `branch`$/,
      );
    expect(r.markdown).toMatch(/ℹ️ Changed outside OpenTofu since the last apply: [^\n]*`github_issue\.issue-WS-01`/);
    expect(r.markdown).toContain(`~ title: "${OUT_OF_BAND_TITLE}" → "WS-01: Work WS-01"`);
    expect(r.markdown).toContain('~ branch: "main" → "trunk"   # forces replacement');
    expect(r.markdown).toContain("**`github_actions_secret.secret-DEPLOY_TOKEN`**");
    expect(r.markdown).toContain(
      "~ plaintext_value: (sensitive) → (sensitive)   # forces replacement\n- (no longer set): encrypted_value\n",
    );
    // A file whose content changes far past the cut is shown from just before the change.
    expect(r.markdown).toMatch(
      /~ content: \(\d+ earlier characters\) …[^\n]*into `main`[^\n]* → \(\d+ earlier characters\) …[^\n]*into `trunk`/,
    );
  });

  test("a pull request's GitHub and Docker stacks in one comment: both rows and one banner with every destroy and replace", () => {
    const r = goldenCases().system();
    expect(r.exitCode).toBe(2);
    expect(r.markdown).toContain("**2 stacks**: 2 with changes · 0 without · 0 failed");
    expect(r.markdown).toContain(`| \`${repoStack}\` | 📝 changes | 1 | 4 | 2 | 12 |`);
    expect(r.markdown).toContain(`| \`${stack}\` | 📝 changes | 2 | 1 | 2 | 1 |`);
    expect(r.markdown).toContain("> **4 to destroy, 13 to replace.**");
    expect(r.markdown).toContain(`> - 🔁 **replace** \`${stack}\` · \`docker_container.worker\``);
    expect(r.trimmed).toBe(false);
  });

  test("several stacks with an error: exit 1, error row, warning and masked error text", () => {
    const r = goldenCases().multi();
    expect(r.exitCode).toBe(1);
    expect(r.markdown).toContain("| `gamma-services` | ❌ error | – | – | – | – | – | – | — |");
    expect(r.markdown).toContain("> **1 stack could not be planned**: `gamma-services`. Details below.");
    expect(r.markdown).toContain("Cannot connect to the Docker daemon");
    expect(r.markdown).toContain("**5 stacks**: 2 with changes · 2 without · 1 failed");
    expect(r.reports.map((x) => x.status)).toEqual(["changes", "no-changes", "error", "changes", "no-changes"]);
  });
});

describe("summary of synthetic plans", () => {
  test("import, move and before/after sensitivity (synthetic plan in the real JSON shape)", () => {
    const s = summarizePlan({
      format_version: "1.2",
      resource_changes: [
        {
          address: "a.new",
          previous_address: "a.old",
          type: "a",
          name: "new",
          mode: "managed",
          change: { actions: ["no-op"], before: {}, after: {} },
        },
        {
          address: "b.x",
          type: "b",
          name: "x",
          mode: "managed",
          change: { actions: ["no-op"], before: {}, after: {}, importing: { id: "1" } },
        },
        { address: "data.c.x", type: "c", name: "x", mode: "data", change: { actions: ["read"], before: null, after: {} } },
      ],
    });
    expect(s.counts).toMatchObject({ add: 0, import: 1, move: 1 });
    expect(s.hasChanges).toBe(true);
  });
});

describe("comment size", () => {
  test("a plan far over 65,536 characters is trimmed at line boundaries with summary and banner kept", () => {
    const r = goldenCases().big();
    expect(r.full.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(r.trimmed).toBe(true);
    expect(r.markdown.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(fenceLines(r.markdown) % 2).toBe(0);
    expect(count(r.markdown, "<details>") + count(r.markdown, "<details ")).toBe(count(r.markdown, "</details>"));
    expect(r.markdown).toContain(`| \`${m.bigId}-services\` | 📝 changes | ${2 * m.bigCount + 1} | 0 | 0 | 0 | 0 | 0 |`);
    expect(r.markdown).toContain("> [!CAUTION]");
    expect(r.markdown).toContain(`✂️ Trimmed to GitHub's 65,536-character comment limit`);
    expect(r.markdown).toContain(`(incomplete: \`${m.bigId}-services\`)`);
    // The small stack keeps all of its details; the big one is cut, not dropped.
    expect(r.markdown).toContain('~ restart: "unless-stopped" → "always"');
    expect(r.markdown).toContain("svc-000");
    const lines = r.full.split("\n");
    for (const line of r.markdown.split("\n"))
      if (!line.includes("✂️") && line !== "> [!NOTE]" && line !== "") expect(lines).toContain(line);
  });

  test.each([3000, 8000, 20000])("any limit (%i) is respected, fences and <details> balanced", (limit) => {
    const r = renderComment([outcome("mixed"), { stack: "e", error: errorText() }, outcome("big"), outcome("create", "c")], {
      masker: fixtureMasker(),
      limit,
    });
    expect(r.markdown.length).toBeLessThanOrEqual(limit);
    expect(fenceLines(r.markdown) % 2).toBe(0);
    expect(count(r.markdown, "<details>")).toBe(count(r.markdown, "</details>"));
    expect(r.markdown).toContain(MARKER);
  });

  test("a long value that differs only past the cut is shown from shortly before its difference", () => {
    const x = "x".repeat(1000);
    const lines = attributeLines(
      { actions: ["update"], before: { body: `${x}main${x}` }, after: { body: `${x}trunk${x}` } },
      [],
      createMasker(),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^~ body: \(941 earlier characters\) …x{60}mainx+… \(\d+ more characters\) → \(941 earlier characters\) …x{60}trunkx+… \(\d+ more characters\)$/,
    );
  });

  test("fitLines closes an open fence and details; waterFill shares fairly", () => {
    const lines = [
      "<details><summary>s</summary>",
      "",
      "```diff",
      ...Array.from({ length: 50 }, (_, i) => `+ line ${i}`),
      "```",
      "</details>",
    ];
    const { text, omitted } = fitLines(lines, 300, "stack");
    expect(text.length).toBeLessThanOrEqual(300);
    expect(omitted).toBeGreaterThan(0);
    expect(text.split("\n").slice(-4)).toEqual(["```", "", `_✂️ ${omitted} more line(s) of this stack's changes trimmed._`, "</details>"]);
    expect(waterFill([10, 1000, 1000], 510)).toEqual([10, 250, 250]);
  });
});

test("stack globs select by name", () => {
  const stacks = ["a-services", "a-github", "box-observability"].map((name) => ({ name }));
  expect(selectStacks(stacks, ["*-services"]).map((s) => s.name)).toEqual(["a-services"]);
  expect(selectStacks(stacks, ["*-services,box-*"]).map((s) => s.name)).toEqual(["a-services", "box-observability"]);
  expect(selectStacks(stacks, undefined)).toHaveLength(3);
});
