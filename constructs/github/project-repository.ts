import { Construct } from "constructs";
import { TerraformResource, TerraformVariable, Token } from "cdktf";
import { ActionsSecret } from "@cdktf/provider-github/lib/actions-secret";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { Branch } from "@cdktf/provider-github/lib/branch";
import { BranchDefault } from "@cdktf/provider-github/lib/branch-default";
import { Issue } from "@cdktf/provider-github/lib/issue";
import { IssueLabel } from "@cdktf/provider-github/lib/issue-label";
import { Repository } from "@cdktf/provider-github/lib/repository";
import { RepositoryFile } from "@cdktf/provider-github/lib/repository-file";
import { RepositoryMilestone } from "@cdktf/provider-github/lib/repository-milestone";
import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import type { Project, RepositorySpec } from "../model";
import {
  gateIssueTitle,
  gateStatus,
  generatedFiles,
  IssueRefs,
  renderGateIssueBody,
  renderTrackingIssueBody,
  renderWorkstreamIssueBody,
  softReferenceEdges,
  STATUS_LABELS,
  trackingIssueTitle,
  workstreamIssueTitle,
  workstreamStatus,
} from "../orchestration/docs";
import type { OrchestrationPlan } from "../orchestration/plan";

export interface ProjectRepositoryProps {
  readonly owner: string;
  readonly spec: RepositorySpec;
  /** The orchestration that becomes labels, milestones, issues and generated docs. */
  readonly plan: OrchestrationPlan;
  /** Dependabot vulnerability alerts; always sent explicitly (unset it churns). Default true. */
  readonly vulnerabilityAlerts?: boolean;
  /** Archive instead of deleting the repository on destroy. Default false. */
  readonly archiveOnDestroy?: boolean;
  /** Commit message of every generated file (fixed, so the read-back never differs). */
  readonly commitMessage?: string;
}

export const GENERATED_COMMIT_MESSAGE = "docs: sync generated orchestration files (sparky-infra)";

/** GitHub's built-in "Repository admin" role, the only bypass actor (one ordered entry: no reorder diffs). */
const REPOSITORY_ADMIN_ROLE = 5;

interface LabelDef {
  name: string;
  color: string;
  description: string;
}

/** Terraform-safe logical id from a stable key ("docs/x.md" → "docs-x-md"). */
const tfId = (key: string) => key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

/**
 * A project's GitHub repository: squash-only settings, default-branch ruleset, Actions variables and
 * secrets, and its orchestration materialized as labels, milestones, issues and generated docs.
 * Every resource's logical id is derived from a model id (workstream, milestone, label name, file path), never
 * from a position, so reordering the model neither renumbers nor recreates anything.
 */
export class ProjectRepository extends Construct {
  readonly repository: Repository;
  readonly defaultBranch: BranchDefault;
  readonly ruleset: RepositoryRuleset;
  readonly milestones: Record<string, RepositoryMilestone> = {};
  readonly labels: Record<string, IssueLabel> = {};
  /** Workstream issues keyed by workstream id ("WS-01"). */
  readonly issues: Record<string, Issue> = {};
  /** Gate issues keyed by gate id. */
  readonly gateIssues: Record<string, Issue> = {};
  readonly trackingIssue: Issue;
  /** Generated files keyed by repository path. */
  readonly files: Record<string, RepositoryFile> = {};
  readonly variables: Record<string, ActionsVariable> = {};
  readonly secrets: Record<string, ActionsSecret> = {};
  /** Sensitive input variables, named as the environment variable that feeds them (TF_VAR_<from>). */
  readonly secretInputs: Record<string, TerraformVariable> = {};

  constructor(scope: Construct, id: string, props: ProjectRepositoryProps) {
    super(scope, id);
    const { spec, plan } = props;
    const project = plan.project;
    const pin = <T extends TerraformResource>(resource: T, logicalId: string): T => {
      resource.overrideLogicalId(logicalId);
      return resource;
    };

    this.repository = pin(
      new Repository(this, "repository", {
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
      }),
      "repository",
    );

    let branchDependency: TerraformResource[] = [];
    if (spec.defaultBranch !== "main") {
      // auto_init creates "main"; any other default branch is cut from it first.
      branchDependency = [
        pin(
          new Branch(this, "branch", { repository: this.repository.name, branch: spec.defaultBranch, sourceBranch: "main" }),
          "default-branch-source",
        ),
      ];
    }
    this.defaultBranch = pin(
      new BranchDefault(this, "default-branch", {
        repository: this.repository.name,
        branch: spec.defaultBranch,
        dependsOn: branchDependency,
      }),
      "default-branch",
    );

    this.defineActions(spec);
    this.defineLabels(plan);
    this.defineMilestones(props.owner, plan);
    this.trackingIssue = this.defineIssues(project, plan);

    const message = props.commitMessage ?? GENERATED_COMMIT_MESSAGE;
    for (const [path, content] of generatedFiles(project, plan)) {
      this.files[path] = pin(
        new RepositoryFile(this, `file-${path}`, {
          repository: this.repository.name,
          branch: spec.defaultBranch,
          file: path,
          content,
          commitMessage: message,
          overwriteOnCreate: true,
          // commit_author/commit_email stay unset: set, they are read back from the commit and drift.
          dependsOn: [this.defaultBranch],
        }),
        `file-${tfId(path)}`,
      );
    }

    // Protect the default branch last, so the generated files land before pull requests are required; the
    // repository-admin bypass lets later syncs of those files through.
    this.ruleset = pin(
      new RepositoryRuleset(this, "ruleset", {
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
            requireCodeOwnerReview: project.orchestrators.some((o) => o.owners.length > 0) && spec.requiredReviews > 0,
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
        dependsOn: [this.defaultBranch, ...Object.values(this.files)],
      }),
      "default-branch-ruleset",
    );
  }

  private defineActions(spec: RepositorySpec): void {
    for (const [name, value] of Object.entries(spec.variables).sort(([a], [b]) => a.localeCompare(b))) {
      const v = new ActionsVariable(this, `variable-${name}`, { repository: this.repository.name, variableName: name, value });
      v.overrideLogicalId(`variable-${name}`);
      this.variables[name] = v;
    }
    for (const secret of [...spec.secrets].sort((a, b) => a.name.localeCompare(b.name))) {
      // Named exactly as the environment variable, so TF_VAR_<from> supplies it; never a literal in the config.
      const input =
        this.secretInputs[secret.from] ??
        new TerraformVariable(this, `secret-input-${secret.from}`, {
          type: "string",
          sensitive: true,
          nullable: false,
          description: `Value of the Actions secret(s) fed from $${secret.from}; export TF_VAR_${secret.from}.`,
        });
      input.overrideLogicalId(secret.from);
      this.secretInputs[secret.from] = input;
      const s = new ActionsSecret(this, `secret-${secret.name}`, {
        repository: this.repository.name,
        secretName: secret.name,
        plaintextValue: input.stringValue,
      });
      s.overrideLogicalId(`secret-${secret.name}`);
      this.secrets[secret.name] = s;
    }
  }

  private defineLabels(plan: OrchestrationPlan): void {
    const defs: LabelDef[] = [
      ...STATUS_LABELS.map((s) => ({ name: `status:${s.name}`, color: STATUS_COLORS[s.name], description: s.description })),
      ...(["P0", "P1", "P2"] as const).map((p) => ({ name: `priority:${p}`, color: PRIORITY_COLORS[p], description: PRIORITY_TEXT[p] })),
      ...plan.orchestrators.map((o) => ({ name: `domain:${o.spec.id}`, color: "1d76db", description: `Owned by the ${o.spec.name}` })),
      ...plan.milestones.map((m) => ({ name: `milestone:${m.spec.id}`, color: "c5def5", description: `${m.spec.id}: ${m.spec.name}` })),
      { name: "type:workstream", color: "0052cc", description: "A workstream: one unit of agent work" },
      { name: "type:gate", color: "5319e7", description: "A phase gate between milestones" },
      { name: "type:tracking", color: "006b75", description: "Tracks the whole orchestration" },
      { name: "critical-path", color: "e11d21", description: "On the schedule's critical path" },
    ];
    for (const d of defs) {
      // Single, non-authoritative labels: GitHub's default labels stay, and none of them is ever fought over.
      const label = new IssueLabel(this, `label-${d.name}`, {
        repository: this.repository.name,
        name: d.name,
        color: d.color,
        description: d.description.slice(0, 100),
      });
      label.overrideLogicalId(`label-${tfId(d.name)}`);
      this.labels[d.name] = label;
    }
  }

  private defineMilestones(owner: string, plan: OrchestrationPlan): void {
    for (const m of plan.milestones) {
      const milestone = new RepositoryMilestone(this, `milestone-${m.spec.id}`, {
        owner,
        repository: this.repository.name,
        title: `${m.spec.id}: ${m.spec.name}`,
        description: m.spec.goal,
        dueDate: m.dueDate, // date only (yyyy-mm-dd), the form the provider reads back
        state: "open",
      });
      milestone.overrideLogicalId(`milestone-${m.spec.id}`);
      this.milestones[m.spec.id] = milestone;
    }
  }

  /** Label references, sorted by name so the set is written in one stable order. */
  private labelRefs(names: string[]): string[] {
    return [...new Set(names)].sort().map((n) => {
      const label = this.labels[n];
      if (!label) throw new Error(`no label "${n}"`);
      return label.name;
    });
  }

  private defineIssues(project: Project, plan: OrchestrationPlan): Issue {
    const blobUrl = (path: string) => `${this.repository.htmlUrl}/blob/${project.repository.defaultBranch}/${path}`;
    const refs: IssueRefs = {
      workstream: (id) => {
        const issue = this.issues[id];
        if (!issue) throw new Error(`issue for ${id} referenced before it exists (would be a cycle)`);
        return `#${Token.asString(issue.number)}`;
      },
      gate: (id) => `#${Token.asString(this.gateIssues[id].number)}`,
      file: blobUrl,
    };
    const soft = softReferenceEdges(plan);

    // Create in dependency order so every referenced issue exists; the reference graph is acyclic by construction.
    const created = new Set<string>();
    const pending = [...plan.workstreams];
    while (pending.length > 0) {
      const i = pending.findIndex((w) => [...w.spec.dependsOn, ...(soft.get(w.spec.id) ?? [])].every((d) => created.has(d)));
      if (i < 0) throw new Error(`cyclic issue references among ${pending.map((w) => w.spec.id).join(", ")}`);
      const [ws] = pending.splice(i, 1);
      const s = ws.spec;
      const issue = new Issue(this, `issue-${s.id}`, {
        repository: this.repository.name,
        title: workstreamIssueTitle(ws),
        body: renderWorkstreamIssueBody(project, plan, ws, refs, soft),
        labels: this.labelRefs([
          "type:workstream",
          `status:${workstreamStatus(s)}`,
          `priority:${s.priority}`,
          `domain:${s.orchestrator}`,
          `milestone:${s.milestone}`,
          ...(ws.critical ? ["critical-path"] : []),
        ]),
        milestoneNumber: this.milestones[s.milestone].number,
      });
      issue.overrideLogicalId(`issue-${s.id}`);
      this.issues[s.id] = issue;
      created.add(s.id);
    }

    for (const gate of plan.gates) {
      const g = gate.spec;
      const lastMilestone = g.from[g.from.length - 1];
      const issue = new Issue(this, `issue-gate-${g.id}`, {
        repository: this.repository.name,
        title: gateIssueTitle(g),
        body: renderGateIssueBody(project, plan, gate, refs),
        labels: this.labelRefs([
          "type:gate",
          `status:${gateStatus(g)}`,
          ...(g.owner !== "meta" && this.labels[`domain:${g.owner}`] ? [`domain:${g.owner}`] : []),
          ...g.from.map((m) => `milestone:${m}`).filter((n) => this.labels[n]),
        ]),
        milestoneNumber: this.milestones[lastMilestone]?.number,
      });
      issue.overrideLogicalId(`issue-gate-${tfId(g.id)}`);
      this.gateIssues[g.id] = issue;
    }

    const tracking = new Issue(this, "issue-tracking", {
      repository: this.repository.name,
      title: trackingIssueTitle(project),
      body: renderTrackingIssueBody(project, plan, refs),
      labels: this.labelRefs(["type:tracking"]),
    });
    tracking.overrideLogicalId("issue-tracking");
    return tracking;
  }
}

const STATUS_COLORS: Record<string, string> = {
  "not-started": "ededed",
  "in-progress": "fbca04",
  review: "0e8a16",
  blocked: "b60205",
  done: "6f42c1",
};
const PRIORITY_COLORS = { P0: "b60205", P1: "d93f0b", P2: "fef2c0" } as const;
const PRIORITY_TEXT = {
  P0: "Critical: blocks other work",
  P1: "High priority",
  P2: "Nice to have",
} as const;
