import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { DeploymentConfig, Project } from "../constructs/model";
import { ProjectRepository } from "../constructs/github";
import { OrchestrationPlan } from "../constructs/orchestration/plan";

export interface ProjectGitHubStackProps {
  readonly project: Project;
  readonly github: DeploymentConfig["github"];
}

/** `<project>-github`: the repository and the orchestration materialized in it. The token comes from GITHUB_TOKEN. */
export class ProjectGitHubStack extends TerraformStack {
  readonly plan: OrchestrationPlan;
  readonly repository: ProjectRepository;

  constructor(scope: Construct, id: string, props: ProjectGitHubStackProps) {
    super(scope, id);
    new GithubProvider(this, "github", { owner: props.github.owner, baseUrl: props.github.baseUrl });
    this.plan = new OrchestrationPlan(this, "orchestration", props.project);
    this.repository = new ProjectRepository(this, "repository", { owner: props.github.owner, spec: props.project.repository, plan: this.plan });
  }
}
