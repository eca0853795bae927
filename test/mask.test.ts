// The one masker (tools/engine/mask.ts), as plan preview, drift reports, drift issues and logs use it: the cases
// of the former plan-preview and drift maskers, and a leak probe that plants a secret in every supported
// encoding into plan JSON, markdown and log text and finds it nowhere after masking.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { analyzeStack, summarize } from "../tools/drift/analyze";
import { issueBody } from "../tools/drift/issues";
import { renderMarkdown } from "../tools/drift/render";
import { createMasker, maskDeep, SENSITIVE } from "../tools/engine/mask";
import { looksSecret } from "../tools/engine/secret-names";
import { renderComment } from "../tools/plan-preview/render";
import { writeOutputs } from "../tools/plan-preview/run";
import { leaks, PROBE_FORMS, PROBE_PEM, probeContainer, probeMasker } from "./support/leak-probe";
import { change, deployed, onePlan, plan } from "./support/plan-json";
import { FIXTURE_ECHO, FIXTURE_ROTATED, FIXTURE_SECRET, fixtureMasker, outcome, plan as fixturePlan } from "./fixtures/plans/golden";

describe("plan preview masking", () => {
  test("plan-marked sensitive values are hidden; the real plan holds the secret in plain text", () => {
    expect(JSON.stringify(fixturePlan("create"))).toContain(FIXTURE_SECRET);
    const r = renderComment([outcome("create")], { masker: createMasker() });
    expect(r.markdown).toContain("+ env = (sensitive)");
    expect(r.full).not.toContain(FIXTURE_SECRET);
  });

  test("values of secret environment variables are masked wherever they appear (GITHUB_TOKEN in a plain env var)", () => {
    expect(renderComment([outcome("create")], { masker: createMasker() }).markdown).toContain(`NOTE=${FIXTURE_ECHO}`);
    const r = renderComment([outcome("create")], { masker: fixtureMasker() });
    expect(r.markdown).toContain('"NOTE=(sensitive)"');
    expect(r.full).not.toContain(FIXTURE_ECHO);
  });

  test("the Actions secret's old and rotated values are in the real plans but in no comment, even with a masker that knows no secret", () => {
    expect(JSON.stringify(fixturePlan("github-create"))).toContain(FIXTURE_SECRET);
    const update = JSON.stringify(fixturePlan("github-update"));
    expect(update).toContain(FIXTURE_SECRET);
    expect(update).toContain(FIXTURE_ROTATED);
    for (const masker of [createMasker(), fixtureMasker()]) {
      const r = renderComment([outcome("github-create"), outcome("github-update")], { masker });
      expect(r.full).not.toContain(FIXTURE_SECRET);
      expect(r.full).not.toContain(FIXTURE_ROTATED);
    }
  });

  test("a secret set in the environment never reaches plan-preview.md or plan-preview.json, even through error text", () => {
    const secret = "ghp_ZZtopSecretValue123";
    const masker = createMasker({ env: { GITHUB_TOKEN: secret, TF_VAR_db_password: "hunter2-hunter2", MY_API_KEY: "k-123456" } });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "pp-unit-"));
    try {
      writeOutputs(
        out,
        [
          outcome("create"),
          outcome("github-update"),
          { stack: "broken-services", error: `auth failed for ${secret} with hunter2-hunter2 and k-123456` },
        ],
        masker,
      );
      for (const file of ["plan-preview.md", "plan-preview-full.md", "plan-preview.json"]) {
        const text = fs.readFileSync(path.join(out, file), "utf8");
        expect(text).not.toContain(secret);
        expect(text).not.toContain("hunter2-hunter2");
        expect(text).not.toContain("k-123456");
        expect(text).not.toContain(FIXTURE_SECRET);
        expect(text).not.toContain(FIXTURE_ROTATED);
      }
      expect(fs.readFileSync(path.join(out, "plan-preview.json"), "utf8")).toContain(
        "auth failed for (sensitive) with (sensitive) and (sensitive)",
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("name patterns: KEY=value pairs, URL passwords, secret-named attributes; ordinary text untouched", () => {
    const masker = createMasker({ env: { TF_VAR_flag: "true" } });
    expect(masker.text("GF_SECURITY_ADMIN_PASSWORD=abc LOG_LEVEL=info API_KEY=xyz")).toBe(
      "GF_SECURITY_ADMIN_PASSWORD=(sensitive) LOG_LEVEL=info API_KEY=(sensitive)",
    );
    expect(masker.text("postgres://sparky:pw123@db/x")).toBe("postgres://sparky:(sensitive)@db/x");
    expect(masker.text("it is true")).toBe("it is true");
    const r = renderComment(
      [
        {
          stack: "synthetic",
          planSha256: "0".repeat(64),
          json: {
            format_version: "1.2",
            resource_changes: [
              {
                address: "x.y",
                type: "x",
                name: "y",
                mode: "managed",
                change: {
                  actions: ["update"],
                  before: { password: "old-pass", size: 1 },
                  after: { password: "new-pass", size: 2 },
                  after_unknown: {},
                  before_sensitive: {},
                  after_sensitive: {},
                },
              },
            ],
          },
        },
      ],
      { masker },
    );
    expect(r.markdown).toContain("~ password: (sensitive) → (sensitive)");
    expect(r.markdown).toContain("~ size: 1 → 2");
    expect(r.full).not.toMatch(/old-pass|new-pass/);
  });
});

describe("drift masking", () => {
  test("plan-sensitive markers and secret environment values are masked everywhere", () => {
    const masker = createMasker({ env: { TF_VAR_DB_PASSWORD: "hunter2-secret", HOME: "/root" } });
    const before = { name: "x", password: "old", value: "hunter2-secret", opaque: "s1" };
    const after = { name: "y", password: "new", value: "hunter2-secret!", opaque: "s2" };
    const r = analyzeStack(
      "s",
      onePlan(
        plan({
          resource_drift: [
            change("t.r", ["update"], before, after, { before_sensitive: { opaque: true }, after_sensitive: { opaque: true } }),
          ],
          ...deployed,
        }),
        plan({}),
      ),
      { masker },
    );
    const attrs = Object.fromEntries(r.drift[0].attributes.map((a) => [a.path, [a.before, a.after]]));
    expect(attrs).toEqual({
      name: ["x", "y"],
      opaque: [SENSITIVE, SENSITIVE],
      password: [SENSITIVE, SENSITIVE],
      value: [SENSITIVE, `${SENSITIVE}!`],
    });
    expect(renderMarkdown(summarize([r]))).not.toMatch(/hunter2|old|s1/);
  });
});

describe("secret names", () => {
  test("a name holds a secret when it ends with a secret word, not when it names one", () => {
    for (const name of [
      "GF_SECURITY_ADMIN_PASSWORD",
      "API_TOKEN",
      "client_secret",
      "private_key",
      "api-key",
      "PGPASSWORD",
      "credentials",
      "apiKey",
    ])
      expect([name, looksSecret(name)]).toEqual([name, true]);
    for (const name of [
      "secret_name",
      "secret_scanning",
      "token_url",
      "LOG_LEVEL",
      "bypass_actors",
      "commit_author",
      "name",
      "description",
    ])
      expect([name, looksSecret(name)]).toEqual([name, false]);
  });

  test("github_actions_secret: its secret_name is shown, its value is not", () => {
    const r = renderComment([outcome("github-create")], { masker: fixtureMasker() });
    expect(r.markdown).toMatch(/\+ secret_name = "DEPLOY_TOKEN"/);
    expect(r.markdown).toContain("+ plaintext_value = (sensitive)");
  });
});

describe("leak probe: a secret in every supported encoding, in plan JSON, markdown and log text", () => {
  const forms = PROBE_FORMS;
  const masker = probeMasker;

  test("the probe really plants every form", () => {
    const text = Object.values(forms).join("\n");
    expect(leaks(text).length).toBeGreaterThan(5);
  });

  test("log text: 0 occurrences after masking", () => {
    const log = Object.entries(forms)
      .map(([k, v]) => `engine: ${k}: auth failed with ${v} (retrying)`)
      .join("\n");
    const masked = masker().text(
      `${log}\n${PROBE_PEM.split("\n")
        .map((l) => `    ${l}`)
        .join("\n")}`,
    );
    expect(leaks(masked)).toEqual([]);
    expect(masked).toContain(`engine: raw: auth failed with ${SENSITIVE} (retrying)`);
  });

  test("plan JSON rendered as a plan preview (comment, full rendering, summary JSON): 0 occurrences", () => {
    const after = probeContainer();
    const json = plan({
      resource_changes: [change("docker_container.probe", ["create"], null, after, { after_unknown: {}, after_sensitive: {} })],
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-probe-"));
    try {
      const r = writeOutputs(
        out,
        [
          { stack: "probe-services", planSha256: "0".repeat(64), json },
          { stack: "broken", error: `Error: ${forms.base64}\n${PROBE_PEM}` },
        ],
        masker(),
      );
      expect(r.markdown).toContain("docker_container.probe");
      for (const file of fs.readdirSync(out)) expect([file, leaks(fs.readFileSync(path.join(out, file), "utf8"))]).toEqual([file, []]);
      expect(leaks(renderComment([{ stack: "p", json }], { masker: masker() }).full)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test("drift report markdown and issue body: 0 occurrences", () => {
    const before = { env: ["A=1"], labels: [{ label: "x", value: "1" }], content: "old" };
    const after = {
      env: Object.values(forms),
      labels: Object.entries(forms).map(([label, value]) => ({ label, value })),
      content: forms.jsonTwice,
    };
    const r = analyzeStack(
      "probe-services",
      onePlan(plan({ resource_drift: [change("docker_container.probe", ["update"], before, after)], ...deployed }), plan({})),
      {
        masker: masker(),
      },
    );
    expect(r.status).toBe("drift");
    // The analysis masks values on its own; the CLI masks what it writes (error text included) once more.
    expect(leaks(renderMarkdown(summarize([r])))).toEqual([]);
    const report = summarize([{ ...r, error: masker().text(`plan failed: ${forms.base64InsideShift1}\n${PROBE_PEM}`) }]);
    expect(leaks(renderMarkdown(report))).toEqual([]);
    expect(leaks(issueBody(report.stacks[0], "https://run", masker()))).toEqual([]);
    expect(leaks(JSON.stringify(maskDeep(report, masker())))).toEqual([]);
  });
});
