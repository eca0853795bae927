import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../tools/engine/toolchain";

// `npm ci` is the first step of setup and of both workflows: it must accept the committed lock file as it is.
test("npm ci accepts package-lock.json (lock file and package.json agree)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-npm-ci-"));
  try {
    for (const file of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(dir, file));
    const result = spawnSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect({ status: result.status, stderr: result.stderr.split("\n").filter((l) => /ERR|Missing|Invalid/.test(l)) }).toEqual({
      status: 0,
      stderr: [],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
