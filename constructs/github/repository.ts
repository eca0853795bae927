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
import type { RepositorySpec } from "../model";
import { secretInput } from "../core/secret-input";

export interface GitHubRepositoryProps {
  readonly spec: RepositorySpec;
  /** Pull requests need an approval from CODEOWNERS (when reviews are required at all). Default false. */
  readonly requireCodeOwnerReview?: boolean;
  /** Dependabot vulnerability alerts; always sent explicitly (unset it churns). Default true. */
  readonly vulnerabilityAlerts?: boolean;
  /** Archive instead of deleting the repository on destroy. Default false. */
  readonly archiveOnDestroy?: boolean;
  /** Commit message of every generated file (fixed, so the read-back never differs). */
  readonly commitMessage?: string;
}

export interface LabelDefinition {
  name: string;
  color: string;
  description: string;
}

export const GENERATED_COMMIT_MESSAGE = "docs: sync generated orchestration files (sparky-infra)";

/** GitHub's built-in "Repository admin" role, the only bypass actor (one ordered entry: no reorder diffs). */
const REPOSITORY_ADMIN_ROLE = 5;

/** Terraform-safe address from a stable key ("docs/x.md" → "docs-x-md"). */
export const addressKey = (key: string) => key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

/**
 * A repository with squash-only settings, its default branch protected by a ruleset, Actions variables and secrets,
 * and the labels and files others add to it. Every resource is addressed by a model key (label name, file path),
 * never by position, so reordering the model neither renumbers nor recreates anything.
 */
export class GitHubRepository extends Construct {
  readonly repository: Repository;
  readonly defaultBranch: BranchDefault;
  readonly ruleset: RepositoryRuleset;
  readonly labels: Record<string, IssueLabel> = {};
  /** Files keyed by repository path. */
  readonly files: Record<string, RepositoryFile> = {};
  private readonly spec: RepositorySpec;
  private readonly commitMessage: string;

  constructor(scope: Construct, id: string, props: GitHubRepositoryProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;
    this.commitMessage = props.commitMessage ?? GENERATED_COMMIT_MESSAGE;

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
      archiveOnDestroy: props.archiveOnDestroy ?? false,
      // etag and security_and_analysis are never set: the first churns, the second 422s on private repos without GHAS.
      lifecycle: { ignoreChanges: ["auto_init"] },
    });

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
    this.defineActions(spec);

    // Protect the default branch after the generated files land, before pull requests are required (addFile makes
    // the ruleset wait for each file); the repository-admin bypass lets later syncs of those files through.
    this.ruleset = new RepositoryRuleset(this, "default-branch-ruleset", {
      repository: this.repository.name,
      name: `protect-${spec.defaultBranch}`,
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
  }

  /** A label, single and non-authoritative: GitHub's default labels stay, and none of them is ever fought over. */
  addLabel(definition: LabelDefinition): IssueLabel {
    const label = new IssueLabel(this, `label-${addressKey(definition.name)}`, {
      repository: this.repository.name,
      name: definition.name,
      color: definition.color,
      description: definition.description.slice(0, 100),
    });
    this.labels[definition.name] = label;
    return label;
  }

  /** A file on the default branch, committed with the fixed generated-files message. */
  addFile(path: string, content: string): RepositoryFile {
    const file = new RepositoryFile(this, `file-${addressKey(path)}`, {
      repository: this.repository.name,
      branch: this.spec.defaultBranch,
      file: path,
      content,
      commitMessage: this.commitMessage,
      overwriteOnCreate: true,
      // commit_author/commit_email stay unset: set, they are read back from the commit and drift.
      dependsOn: [this.defaultBranch],
    });
    this.files[path] = file;
    this.ruleset.dependsOn = [...(this.ruleset.dependsOn ?? []), dependable(file)];
    return file;
  }

  /** Label names as references, deduplicated and sorted, so the set is written in one stable order. */
  labelRefs(names: readonly string[]): string[] {
    return [...new Set(names)].sort().map((n) => {
      const label = this.labels[n];
      if (!label) throw new Error(`no label "${n}"`);
      return label.name;
    });
  }

  private defineActions(spec: RepositorySpec): void {
    for (const [name, value] of Object.entries(spec.variables).sort(([a], [b]) => a.localeCompare(b)))
      new ActionsVariable(this, `variable-${name}`, { repository: this.repository.name, variableName: name, value });
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
