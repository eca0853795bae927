import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeE2E } from "./support/describe-e2e";
import { REPO_ROOT } from "./support/toolchain";

// The workflows are linted by the pinned actionlint that setup installs (scripts/setup-tools.sh).
describeE2E("actionlint on the workflows", () => {
  const lint = (...files: string[]) =>
    spawnSync("bash", [path.join(REPO_ROOT, "scripts", "actionlint.sh"), ...files], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });

  test("passes on .github/workflows/*.yml, with no output at all", () => {
    const r = lint();
    expect(`${r.stdout}${r.stderr}`).toBe("");
    expect(r.status).toBe(0);
  });

  test("finds problems (it really lints)", () => {
    const bad = path.join(os.tmpdir(), `pp-bad-${process.pid}.yml`);
    fs.writeFileSync(
      bad,
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n",
    );
    try {
      const r = lint(bad);
      expect(r.status).toBe(1);
      expect(r.stdout).toContain("potentially untrusted");
    } finally {
      fs.rmSync(bad, { force: true });
    }
  });
});
