import { Construct } from "constructs";
import { Repository } from "@cdktf/provider-github/lib/repository";
import { BranchDefault } from "@cdktf/provider-github/lib/branch-default";
import { IssueLabel } from "@cdktf/provider-github/lib/issue-label";
import { RepositoryMilestone } from "@cdktf/provider-github/lib/repository-milestone";
import type { RepositorySpec } from "../model";
import type { OrchestrationPlan } from "../orchestration/plan";

export interface ProjectRepositoryProps {
  readonly owner: string;
  readonly spec: RepositorySpec;
  /** The orchestration that becomes milestones and labels. */
  readonly plan: OrchestrationPlan;
}

/** A project's GitHub repository with squash-only merges and its orchestration as milestones and labels. */
export class ProjectRepository extends Construct {
  readonly repository: Repository;
  readonly milestones: Record<string, RepositoryMilestone> = {};
  readonly labels: Record<string, IssueLabel> = {};

  constructor(scope: Construct, id: string, props: ProjectRepositoryProps) {
    super(scope, id);
    const { spec, plan } = props;
    this.repository = new Repository(this, "repository", {
      name: spec.name,
      description: spec.description,
      visibility: spec.visibility,
      homepageUrl: spec.homepage,
      topics: spec.topics,
      hasIssues: true,
      hasProjects: false,
      hasWiki: false,
      autoInit: true,
      allowSquashMerge: true,
      allowMergeCommit: false,
      allowRebaseMerge: false,
      allowAutoMerge: true,
      deleteBranchOnMerge: true,
      vulnerabilityAlerts: false,
    });
    new BranchDefault(this, "default-branch", { repository: this.repository.name, branch: spec.defaultBranch });

    for (const m of plan.milestones) {
      this.milestones[m.spec.id] = new RepositoryMilestone(this, `milestone-${m.spec.id}`, {
        owner: props.owner,
        repository: this.repository.name,
        title: `${m.spec.id}: ${m.spec.name}`,
        description: m.spec.goal,
        dueDate: m.dueDate,
      });
    }
    for (const o of plan.orchestrators)
      this.labels[`domain:${o.spec.id}`] = new IssueLabel(this, `label-domain-${o.spec.id}`, {
        repository: this.repository.name,
        name: `domain:${o.spec.id}`,
        color: "1d76db",
        description: `Owned by the ${o.spec.name}`,
      });
  }
}
