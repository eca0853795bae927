import { Construct } from "constructs";
import { dependable, TerraformOutput } from "cdktf";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { DeploymentConfig, GitHubAdoption, HostPlacement, Project } from "../constructs/model";
import { ModelAddressedStack } from "../constructs/core/addresses";
import { GitHubRepository, OrchestrationOnGitHub } from "../constructs/github";
import { OrchestrationPlan } from "../constructs/orchestration/plan";

export interface ProjectGitHubStackProps {
  readonly project: Project;
  readonly github: DeploymentConfig["github"];
  /** The project's existing GitHub objects (its adoption map), when the map applies to this GitHub. */
  readonly adoption?: GitHubAdoption;
  /** Every host of the config that runs the project, for the generated CLAUDE.md and DOCKER-QUICKREF.md. */
  readonly placements?: readonly HostPlacement[];
}

/**
 * The project with its workstreams in id order (and dependency lists sorted). Everything the stack renders
 * — schedule tie-breaks, issue bodies, docs — then depends only on ids, so reordering the model changes
 * nothing in GitHub.
 */
export function canonicalProject(project: Project): Project {
  const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    ...project,
    workstreams: [...project.workstreams]
      .sort(byId)
      .map((w) => ({ ...w, dependsOn: [...w.dependsOn].sort(), softDependsOn: [...w.softDependsOn].sort() })),
  };
}

/** A loopback base_url means the local emulator: no rate limits to respect, so no write delay. */
function isLoopback(baseUrl: string | undefined): boolean {
  if (!baseUrl) return false;
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/**
 * `<project>-github`: the repository and the orchestration materialized in it. The token comes from
 * GITHUB_TOKEN (read by the provider at deploy time; it never appears in the synthesized config).
 */
export class ProjectGitHubStack extends ModelAddressedStack {
  readonly plan: OrchestrationPlan;
  readonly repository: GitHubRepository;
  readonly orchestration: OrchestrationOnGitHub;

  constructor(scope: Construct, id: string, props: ProjectGitHubStackProps) {
    super(scope, id);
    const local = isLoopback(props.github.baseUrl);
    new GithubProvider(this, "github", {
      owner: props.github.owner,
      baseUrl: props.github.baseUrl,
      ...(local ? { writeDelayMs: 1, readDelayMs: 0, maxRetries: 0 } : {}),
    });

    // Authentication guard: reading the token's own user (GET /user) fails during `plan` when no token is
    // configured, so an unauthenticated deploy stops before any resource is touched.
    const caller = new DataGithubUser(this, "caller", { username: "" });

    this.plan = new OrchestrationPlan(this, "orchestration", canonicalProject(props.project));
    this.repository = new GitHubRepository(this, "repository", {
      owner: props.github.owner,
      spec: props.project.repository,
      adoption: props.adoption,
      requireCodeOwnerReview: props.project.orchestrators.some((o) => o.owners.length > 0),
    });
    this.repository.repository.dependsOn = [dependable(caller)];
    this.orchestration = new OrchestrationOnGitHub(this, "issues", {
      owner: props.github.owner,
      repository: this.repository,
      plan: this.plan,
      adoption: props.adoption,
      context: { placements: props.placements ?? [] },
    });

    new TerraformOutput(this, "repository_url", { value: this.repository.repository.htmlUrl });
    const tracking = this.orchestration.trackingIssue;
    if (tracking) new TerraformOutput(this, "tracking_issue", { value: tracking.number });
  }
}
