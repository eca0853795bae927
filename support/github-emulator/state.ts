// The emulator's in-memory state. Plain data: routes.ts turns it into GitHub-shaped JSON.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { Commit } from "./git";

export interface Account {
  login: string;
  id: number;
  node_id: string;
  type: "User" | "Organization";
  name: string;
  email: string;
}

export interface Label {
  id: number;
  node_id: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface Milestone {
  id: number;
  node_id: string;
  number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  due_on: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  creator: Account;
}

export interface Issue {
  id: number;
  node_id: string;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason: "completed" | "not_planned" | "reopened" | null;
  labelIds: number[];
  assignees: string[];
  milestoneNumber: number | null;
  user: Account;
  locked: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  closed_by: Account | null;
}

export interface Ruleset {
  id: number;
  node_id: string;
  name: string;
  target: string;
  enforcement: string;
  bypass_actors: unknown[];
  conditions: Record<string, unknown> | null;
  rules: { type: string; parameters?: Record<string, unknown> }[];
  created_at: string;
  updated_at: string;
}

export interface ActionsVariable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

export interface ActionsSecret {
  name: string;
  /** Only the sealed-box ciphertext as sent by the client; never the plaintext. */
  encrypted_value: string;
  key_id: string;
  created_at: string;
  updated_at: string;
}

export interface PublicKey {
  key_id: string;
  /** base64 of the raw 32-byte X25519 public key. */
  key: string;
  /** PKCS#8 DER of the private key, so tests can open sealed boxes if they want to. */
  privateKeyDer: Buffer;
}

export interface RepoSettings {
  description: string | null;
  homepage: string | null;
  private: boolean;
  visibility: "public" | "private" | "internal";
  has_issues: boolean;
  has_projects: boolean;
  has_wiki: boolean;
  has_downloads: boolean;
  has_discussions: boolean;
  has_pages: boolean;
  is_template: boolean;
  archived: boolean;
  allow_squash_merge: boolean;
  allow_merge_commit: boolean;
  allow_rebase_merge: boolean;
  allow_auto_merge: boolean;
  allow_update_branch: boolean;
  allow_forking: boolean;
  delete_branch_on_merge: boolean;
  web_commit_signoff_required: boolean;
  use_squash_pr_title_as_default: boolean;
  squash_merge_commit_title: string;
  squash_merge_commit_message: string;
  merge_commit_title: string;
  merge_commit_message: string;
}

export interface Repo {
  id: number;
  node_id: string;
  name: string;
  owner: Account;
  settings: RepoSettings;
  default_branch: string;
  topics: string[];
  vulnerabilityAlerts: boolean;
  created_at: string;
  updated_at: string;
  pushed_at: string | null;
  branches: Map<string, string>; // branch -> head commit sha
  commits: Map<string, Commit>;
  labels: Label[];
  milestones: Milestone[];
  issues: Issue[];
  nextIssueNumber: number;
  nextMilestoneNumber: number;
  rulesets: Ruleset[];
  variables: Map<string, ActionsVariable>;
  secrets: Map<string, ActionsSecret>;
  publicKey: PublicKey;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export interface EmulatorState {
  /** The account the token belongs to (GET /user). */
  user: Account;
  /** The account resources are created under; an Organization unless ownerType: "User". */
  owner: Account;
  /** Repos keyed by lower-cased "owner/name" (GitHub names are case-insensitive). */
  repos: Map<string, Repo>;
  /** Every request seen: method, path (no query, no bodies), status. */
  requests: RequestRecord[];
  /** Requests that no route matched (answered 404). Tests assert this stays empty. */
  unhandled: { method: string; path: string }[];
  nextId: number;
}

export function now(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function nodeId(prefix: string, id: number): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(id));
  return `${prefix}_kgDO${buf.subarray(4).toString("base64url")}`;
}

export function nextId(state: EmulatorState): number {
  state.nextId += Math.floor(Math.random() * 5) + 1;
  return state.nextId;
}

export function makePublicKey(): PublicKey {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const spki = publicKey.export({ format: "der", type: "spki" });
  const raw = spki.subarray(spki.length - 32);
  const keyId = BigInt("0x" + randomBytes(8).toString("hex")) % 10n ** 18n;
  return {
    key_id: keyId.toString().padStart(18, "1"),
    key: raw.toString("base64"),
    privateKeyDer: privateKey.export({ format: "der", type: "pkcs8" }),
  };
}

export function createState(opts: { owner: string; ownerType?: "User" | "Organization"; userLogin?: string }): EmulatorState {
  const ownerType = opts.ownerType ?? "Organization";
  const state: EmulatorState = {
    user: undefined as unknown as Account,
    owner: undefined as unknown as Account,
    repos: new Map(),
    requests: [],
    unhandled: [],
    nextId: 100_000_000,
  };
  const userLogin = ownerType === "User" ? opts.owner : (opts.userLogin ?? `${opts.owner}-bot`);
  const userId = nextId(state);
  state.user = {
    login: userLogin,
    id: userId,
    node_id: nodeId("U", userId),
    type: "User",
    name: userLogin,
    email: `${userId}+${userLogin}@users.noreply.github.com`,
  };
  if (ownerType === "User") {
    state.owner = state.user;
  } else {
    const orgId = nextId(state);
    state.owner = { login: opts.owner, id: orgId, node_id: nodeId("O", orgId), type: "Organization", name: opts.owner, email: "" };
  }
  return state;
}

export const DEFAULT_LABELS: [string, string, string][] = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];
