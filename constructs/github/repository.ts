import { Construct } from "constructs";
import { dependable, TerraformResource } from "cdktf";
import { ActionsSecret } from "@cdktf/provider-github/lib/actions-secret";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { Branch } from "@cdktf/provider-github/lib/branch";
import { BranchDefault } from "@cdktf/provider-github/lib/branch-default";
import { IssueLabel } from "@cdktf/provider-github/lib/issue-label";
import { Repository } from "@cdktf/provider-github/lib/repository";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import type { GitHubAdoption, RepositorySpec } from "../model";
import { secretInput } from "../core/secret-input";
import type { LabelDefinition } from "../orchestration/docs";
import { addressKey, FileConflicts } from "./file-conflicts";
import { protect } from "./ownership";

export interface GitHubRepositoryProps {
  /** Organization or user that owns the repository. */
  readonly owner: string;
  readonly spec: RepositorySpec;
  /** Pull requests need an approval from CODEOWNERS (when reviews are required at all). Default false. */
  readonly requireCodeOwnerReview?: boolean;
  /** Dependabot vulnerability alerts; always sent explicitly (unset it churns). Default true. */
  readonly vulnerabilityAlerts?: boolean;
  /** Commit message of every generated file (fixed, so the read-back never differs). */
  readonly commitMessage?: string;
  /** What already exists in GitHub (the adoption map, when it applies): imported instead of created. */
  readonly adoption?: GitHubAdoption;
}

export const GENERATED_COMMIT_MESSAGE = "docs: sync generated orchestration files (sparky-infra)";

/** Name of the ruleset that protects the default branch. */
export const rulesetName = (spec: Pick<RepositorySpec, "defaultBranch">) => `protect-${spec.defaultBranch}`;

/** GitHub's built-in "Repository admin" role, the only bypass actor (one ordered entry: no reorder diffs). */
const REPOSITORY_ADMIN_ROLE = 5;

export { addressKey } from "./file-conflicts";

/**
 * A repository with squash-only settings, its default branch protected by a ruleset, Actions variables and secrets,
 * and the labels and files others add to it. Every resource is addressed by a model key (label name, file path),
 * never by position, so reordering the model neither renumbers nor recreates anything. What the adoption map says
 * exists is imported; a destroy archives the repository, never deletes it.
 */
export class GitHubRepository extends Construct {
  readonly repository: Repository;
  readonly defaultBranch: BranchDefault;
  readonly ruleset: RepositoryRuleset;
  readonly labels: Record<string, IssueLabel> = {};
  /** Files keyed by repository path. */
  readonly files: Record<string, RepositoryFile> = {};
  /** Generated paths that hold a person's file: left alone, shown with both versions in previews. */
  readonly conflicts: FileConflicts;
  private readonly spec: RepositorySpec;
  private readonly commitMessage: string;
  private readonly adoption?: GitHubAdoption;

  constructor(scope: Construct, id: string, props: GitHubRepositoryProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    this.commitMessage = props.commitMessage ?? GENERATED_COMMIT_MESSAGE;
    this.adoption = props.adoption;

    this.repository = new Repository(this, "repository", {
      name: spec.name,
      description: spec.description,
      visibility: spec.visibility,
      homepageUrl: spec.homepage,
      // Optional+Computed set: omit when empty so an empty list never fights GitHub's answer.
      topics: spec.topics.length > 0 ? [...spec.topics].sort() : undefined,
      hasIssues: true,
      hasProjects: false,
      hasWiki: false,
      autoInit: true,
      allowSquashMerge: true,
      allowMergeCommit: false,
      allowRebaseMerge: false,
      allowAutoMerge: true,
      deleteBranchOnMerge: true,
      // Read back only while squash merges are allowed; a valid pair, stated so GitHub's defaults never drift in.
      squashMergeCommitTitle: "PR_TITLE",
      squashMergeCommitMessage: "PR_BODY",
      // merge_commit_title/message are left at the provider's defaults: with merge commits off they are
      // neither sent nor read back, so any explicit value would be a permanent diff.
      vulnerabilityAlerts: props.vulnerabilityAlerts ?? true,
      // Never deleted: a destroy archives it (read-only, everything kept).
      archiveOnDestroy: true,
      // etag and security_and_analysis are never set: the first churns, the second 422s on private repos without GHAS.
      lifecycle: { ignoreChanges: ["auto_init"] },
    });
    protect(this.repository);
    if (this.adoption) this.repository.importFrom(spec.name);
    this.conflicts = new FileConflicts(this, "conflicts", { owner: props.owner, repositoryName: spec.name, branch: spec.defaultBranch });

    let branchDependency: TerraformResource[] = [];
    if (spec.defaultBranch !== "main") {
      // auto_init creates "main"; any other default branch is cut from it first.
      branchDependency = [
        new Branch(this, "default-branch-source", { repository: this.repository.name, branch: spec.defaultBranch, sourceBranch: "main" }),
      ];
    }
    this.defaultBranch = new BranchDefault(this, "default-branch", {
      repository: this.repository.name,
      branch: spec.defaultBranch,
      dependsOn: branchDependency,
    });
    if (this.adoption) this.defaultBranch.importFrom(spec.name);
    this.defineActions(spec);

    // Protect the default branch after the generated files land, before pull requests are required (addFile makes
    // the ruleset wait for each file); the repository-admin bypass lets later syncs of those files through.
    this.ruleset = new RepositoryRuleset(this, "default-branch-ruleset", {
      repository: this.repository.name,
      name: rulesetName(spec),
      target: "branch",
      enforcement: "active",
      conditions: { refName: { include: ["~DEFAULT_BRANCH"], exclude: [] } },
      bypassActors: [{ actorId: REPOSITORY_ADMIN_ROLE, actorType: "RepositoryRole", bypassMode: "always" }],
      rules: {
        deletion: true,
        nonFastForward: true,
        requiredLinearHistory: true,
        pullRequest: {
          requiredApprovingReviewCount: spec.requiredReviews,
          dismissStaleReviewsOnPush: true,
          requireCodeOwnerReview: (props.requireCodeOwnerReview ?? false) && spec.requiredReviews > 0,
          requireLastPushApproval: false,
          requiredReviewThreadResolution: false,
        },
        requiredStatusChecks:
          spec.requiredChecks.length > 0
            ? {
                strictRequiredStatusChecksPolicy: true,
                requiredCheck: [...new Set(spec.requiredChecks)].sort().map((context) => ({ context })),
              }
            : undefined,
      },
      dependsOn: [this.defaultBranch],
    });
    if (this.adoption?.ruleset) this.ruleset.importFrom(`${spec.name}:${this.adoption.ruleset.id}`);
  }

  /** A label, single and non-authoritative: GitHub's default labels stay, and none of them is ever fought over. */
  addLabel(definition: LabelDefinition): IssueLabel {
    const label = new IssueLabel(this, `label-${addressKey(definition.name)}`, {
      repository: this.repository.name,
      name: definition.name,
      color: definition.color,
      description: definition.description.slice(0, 100),
    });
    protect(label);
    if (this.adoption?.labels[definition.name]?.confirmed) label.importFrom(`${this.spec.name}:${definition.name}`);
    this.labels[definition.name] = label;
    return label;
  }

  /**
   * A generated file on the default branch, committed with the fixed generated-files message. A path that holds a
   * person's file (per the adoption map) is left alone unless the model takes it over: then no resource, only a
   * conflict that previews show with both versions. A path that holds one of sparky-infra's files is imported.
   */
  addFile(path: string, content: string): RepositoryFile | undefined {
    const existing = this.adoption?.files[path];
    const takeOver = this.spec.takeOver.includes(path);
    if (existing?.writer === "person" && !takeOver) {
      this.conflicts.add(path, content);
      return undefined;
    }
    const file = new RepositoryFile(this, `file-${addressKey(path)}`, {
      repository: this.repository.name,
      branch: this.spec.defaultBranch,
      file: path,
      content,
      commitMessage: this.commitMessage,
      // A file that appeared after adoption is refused ("refusing to overwrite existing file"), never replaced.
      overwriteOnCreate: false,
      // commit_author/commit_email stay unset: set, they are read back from the commit and drift.
      dependsOn: [this.defaultBranch],
    });
    // Not protected: a generated file may be replaced (a renamed default branch); a raw destroy of the stack is
    // refused anyway, by the repository's prevent_destroy.
    if (existing) file.importFrom(`${this.spec.name}/${path}:${this.spec.defaultBranch}`);
    this.files[path] = file;
    this.ruleset.dependsOn = [...(this.ruleset.dependsOn ?? []), dependable(file)];
    return file;
  }

  /** The label resources of these names, deduplicated and sorted, so the set is written in one stable order. */
  labelResources(names: readonly string[]): IssueLabel[] {
    return [...new Set(names)].sort().map((n) => {
      const label = this.labels[n];
      if (!label) throw new Error(`no label "${n}"`);
      return label;
    });
  }

  private defineActions(spec: RepositorySpec): void {
    for (const [name, value] of Object.entries(spec.variables).sort(([a], [b]) => a.localeCompare(b))) {
      const variable = new ActionsVariable(this, `variable-${name}`, { repository: this.repository.name, variableName: name, value });
      if (this.adoption?.variables.includes(name)) variable.importFrom(`${spec.name}:${name}`);
    }
    for (const secret of [...spec.secrets].sort((a, b) => a.name.localeCompare(b.name))) {
      const input = secretInput(
        this,
        secret.from,
        `Value of the Actions secret(s) fed from $${secret.from}; export TF_VAR_${secret.from}.`,
      );
      new ActionsSecret(this, `secret-${secret.name}`, {
        repository: this.repository.name,
        secretName: secret.name,
        plaintextValue: input.stringValue,
      });
    }
  }
}
