// Repository settings: the values GitHub accepts on create and update, and how they apply.
import { checkEnum, checkType, validationFailed } from "../http";
import type { Account, Repo, RepoSettings } from "../state";
import { DOC_REPOS } from "./repository-access";

const SQUASH_TITLES = ["PR_TITLE", "COMMIT_OR_PR_TITLE"];
const SQUASH_MESSAGES = ["PR_BODY", "COMMIT_MESSAGES", "BLANK"];
const MERGE_TITLES = ["PR_TITLE", "MERGE_MESSAGE"];
const MERGE_MESSAGES = ["PR_BODY", "PR_TITLE", "BLANK"];
const BOOL_SETTINGS: (keyof RepoSettings)[] = [
  "has_issues",
  "has_projects",
  "has_wiki",
  "has_downloads",
  "has_discussions",
  "is_template",
  "allow_squash_merge",
  "allow_merge_commit",
  "allow_rebase_merge",
  "allow_auto_merge",
  "allow_update_branch",
  "allow_forking",
  "delete_branch_on_merge",
  "web_commit_signoff_required",
  "use_squash_pr_title_as_default",
  "private",
];

export function validateRepoBody(b: Record<string, any>, owner: Account): void {
  const doc = DOC_REPOS;
  for (const f of BOOL_SETTINGS) checkType("Repository", b, f, "boolean", doc);
  for (const f of ["archived", "auto_init"]) checkType("Repository", b, f, "boolean", doc);
  for (const f of ["name", "default_branch", "visibility"]) checkType("Repository", b, f, "string", doc);
  for (const f of [
    "description",
    "homepage",
    "squash_merge_commit_title",
    "squash_merge_commit_message",
    "merge_commit_title",
    "merge_commit_message",
  ])
    checkType("Repository", b, f, "string", doc, true);
  checkEnum("Repository", b, "visibility", owner.type === "Organization" ? ["public", "private", "internal"] : ["public", "private"], doc);
  checkEnum("Repository", b, "squash_merge_commit_title", SQUASH_TITLES, doc);
  checkEnum("Repository", b, "squash_merge_commit_message", SQUASH_MESSAGES, doc);
  checkEnum("Repository", b, "merge_commit_title", MERGE_TITLES, doc);
  checkEnum("Repository", b, "merge_commit_message", MERGE_MESSAGES, doc);
  if ("name" in b && !/^[A-Za-z0-9._-]{1,100}$/.test(b.name)) {
    throw validationFailed([{ resource: "Repository", code: "custom", field: "name", message: "name is invalid" }], doc);
  }
  const pairs: [string, string, string[][]][] = [
    [
      "squash_merge_commit_title",
      "squash_merge_commit_message",
      [
        ["PR_TITLE", "PR_BODY"],
        ["PR_TITLE", "BLANK"],
        ["PR_TITLE", "COMMIT_MESSAGES"],
        ["COMMIT_OR_PR_TITLE", "COMMIT_MESSAGES"],
      ],
    ],
    [
      "merge_commit_title",
      "merge_commit_message",
      [
        ["PR_TITLE", "PR_BODY"],
        ["PR_TITLE", "BLANK"],
        ["MERGE_MESSAGE", "PR_TITLE"],
      ],
    ],
  ];
  for (const [t, m, allowed] of pairs) {
    if (b[t] && b[m] && !allowed.some(([x, y]) => x === b[t] && y === b[m])) {
      throw validationFailed([{ resource: "Repository", code: "invalid", field: m, message: `${m} is not valid with ${t} ${b[t]}` }], doc);
    }
  }
}

export function applyRepoSettings(repo: Repo, b: Record<string, any>): void {
  const s = repo.settings;
  for (const f of BOOL_SETTINGS) if (typeof b[f] === "boolean") (s as any)[f] = b[f];
  if ("description" in b) s.description = b.description === "" ? null : b.description;
  if ("homepage" in b) s.homepage = b.homepage === "" ? null : b.homepage;
  if (typeof b.visibility === "string") {
    s.visibility = b.visibility as RepoSettings["visibility"];
    s.private = b.visibility !== "public";
  } else if (typeof b.private === "boolean") {
    s.visibility = b.private ? "private" : "public";
  }
  for (const f of ["squash_merge_commit_title", "squash_merge_commit_message", "merge_commit_title", "merge_commit_message"] as const) {
    if (typeof b[f] === "string" && b[f] !== "") s[f] = b[f];
  }
  if (typeof b.use_squash_pr_title_as_default === "boolean" && b.use_squash_pr_title_as_default && !b.squash_merge_commit_title) {
    s.squash_merge_commit_title = "PR_TITLE";
  }
  if (b.squash_merge_commit_title) s.use_squash_pr_title_as_default = b.squash_merge_commit_title === "PR_TITLE";
}
