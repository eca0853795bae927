// A fresh local GitHub emulator for every test, and the raw REST calls the emulator's HTTP-level tests make to it.
import { startGitHubEmulator, type GitHubEmulator, type GitHubEmulatorOptions } from "../../support/github-emulator";

export const OWNER = "sparky-org";
export const TOKEN = "emulator-test-token";

/** The running test's emulator: started before each test by `emulatorPerTest`, replaced by `restartEmulator`. */
export let gh: GitHubEmulator;

/** Starts an emulator owned by OWNER before each test of the calling file and stops it after. */
export function emulatorPerTest(): void {
  beforeEach(async () => {
    gh = await startGitHubEmulator({ owner: OWNER, token: TOKEN });
  });
  afterEach(async () => {
    await gh.stop();
  });
}

/** Replaces the running test's emulator with one started from `options` (stopped by `emulatorPerTest` as usual). */
export async function restartEmulator(options: GitHubEmulatorOptions): Promise<void> {
  await gh.stop();
  gh = await startGitHubEmulator(options);
}

export async function call(method: string, path: string, body?: unknown, token = TOKEN, extra: Record<string, string> = {}) {
  const res = await fetch(`${gh.apiUrl}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...extra },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const repoPath = (r = "app") => `/repos/${OWNER}/${r}`;

export async function makeRepo(name = "app", extra: Record<string, unknown> = {}) {
  const res = await call("POST", `/orgs/${OWNER}/repos`, { name, auto_init: true, ...extra });
  expect(res.status).toBe(201);
  return res.body;
}
