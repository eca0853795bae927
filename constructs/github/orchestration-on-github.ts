import { Construct } from "constructs";
import { Token } from "cdktf";
import { Issue } from "@cdktf/provider-github/lib/issue";
import { RepositoryMilestone } from "@cdktf/provider-github/lib/repository-milestone";
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
import { addressKey, GitHubRepository, LabelDefinition } from "./repository";

export interface OrchestrationOnGitHubProps {
  /** Organization or user that owns the repository. */
  readonly owner: string;
  readonly repository: GitHubRepository;
  readonly plan: OrchestrationPlan;
}

/**
 * A project's orchestration made visible in its repository: labels for status, priority, domain and milestone,
 * one milestone per model milestone, one issue per workstream and gate (cross-linked by number), a tracking
 * issue, and the generated docs, CODEOWNERS and templates.
 */
export class OrchestrationOnGitHub extends Construct {
  readonly milestones: Record<string, RepositoryMilestone> = {};
  /** Workstream issues keyed by workstream id ("WS-01"). */
  readonly issues: Record<string, Issue> = {};
  /** Gate issues keyed by gate id. */
  readonly gateIssues: Record<string, Issue> = {};
  readonly trackingIssue: Issue;
  private readonly repository: GitHubRepository;

  constructor(scope: Construct, id: string, props: OrchestrationOnGitHubProps) {
    super(scope, id);
    const { plan } = props;
    this.repository = props.repository;
    for (const label of labelDefinitions(plan)) this.repository.addLabel(label);
    for (const m of plan.milestones)
      this.milestones[m.spec.id] = new RepositoryMilestone(this, `milestone-${m.spec.id}`, {
        owner: props.owner,
        repository: this.repository.repository.name,
        title: `${m.spec.id}: ${m.spec.name}`,
        description: m.spec.goal,
        dueDate: m.dueDate, // date only (yyyy-mm-dd), the form the provider reads back
        state: "open",
      });
    this.trackingIssue = this.defineIssues(plan);
    for (const [path, content] of generatedFiles(plan.project, plan)) this.repository.addFile(path, content);
  }

  private defineIssues(plan: OrchestrationPlan): Issue {
    const project = plan.project;
    const repository = this.repository.repository;
    const refs: IssueRefs = {
      workstream: (id) => {
        const issue = this.issues[id];
        if (!issue) throw new Error(`issue for ${id} referenced before it exists (would be a cycle)`);
        return `#${Token.asString(issue.number)}`;
      },
      gate: (id) => `#${Token.asString(this.gateIssues[id].number)}`,
      file: (path) => `${repository.htmlUrl}/blob/${project.repository.defaultBranch}/${path}`,
    };
    const soft = softReferenceEdges(plan);
    const labels = (names: string[]) => this.repository.labelRefs(names);

    // Create in dependency order so every referenced issue exists; the reference graph is acyclic by construction.
    const created = new Set<string>();
    const pending = [...plan.workstreams];
    while (pending.length > 0) {
      const i = pending.findIndex((w) => [...w.spec.dependsOn, ...(soft.get(w.spec.id) ?? [])].every((d) => created.has(d)));
      if (i < 0) throw new Error(`cyclic issue references among ${pending.map((w) => w.spec.id).join(", ")}`);
      const [ws] = pending.splice(i, 1);
      const s = ws.spec;
      this.issues[s.id] = new Issue(this, `issue-${s.id}`, {
        repository: repository.name,
        title: workstreamIssueTitle(ws),
        body: renderWorkstreamIssueBody(project, plan, ws, refs, soft),
        labels: labels([
          "type:workstream",
          `status:${workstreamStatus(s)}`,
          `priority:${s.priority}`,
          `domain:${s.orchestrator}`,
          `milestone:${s.milestone}`,
          ...(ws.critical ? ["critical-path"] : []),
        ]),
        milestoneNumber: this.milestones[s.milestone].number,
      });
      created.add(s.id);
    }

    for (const gate of plan.gates) {
      const g = gate.spec;
      const lastMilestone = g.from[g.from.length - 1];
      this.gateIssues[g.id] = new Issue(this, `issue-gate-${addressKey(g.id)}`, {
        repository: repository.name,
        title: gateIssueTitle(g),
        body: renderGateIssueBody(project, plan, gate, refs),
        labels: labels([
          "type:gate",
          `status:${gateStatus(g)}`,
          ...(g.owner !== "meta" && this.repository.labels[`domain:${g.owner}`] ? [`domain:${g.owner}`] : []),
          ...g.from.map((m) => `milestone:${m}`).filter((n) => this.repository.labels[n]),
        ]),
        milestoneNumber: this.milestones[lastMilestone]?.number,
      });
    }

    return new Issue(this, "issue-tracking", {
      repository: repository.name,
      title: trackingIssueTitle(project),
      body: renderTrackingIssueBody(project, plan, refs),
      labels: labels(["type:tracking"]),
    });
  }
}

function labelDefinitions(plan: OrchestrationPlan): LabelDefinition[] {
  return [
    ...STATUS_LABELS.map((s) => ({ name: `status:${s.name}`, color: STATUS_COLORS[s.name], description: s.description })),
    ...(["P0", "P1", "P2"] as const).map((p) => ({ name: `priority:${p}`, color: PRIORITY_COLORS[p], description: PRIORITY_TEXT[p] })),
    ...plan.orchestrators.map((o) => ({ name: `domain:${o.spec.id}`, color: "1d76db", description: `Owned by the ${o.spec.name}` })),
    ...plan.milestones.map((m) => ({ name: `milestone:${m.spec.id}`, color: "c5def5", description: `${m.spec.id}: ${m.spec.name}` })),
    { name: "type:workstream", color: "0052cc", description: "A workstream: one unit of agent work" },
    { name: "type:gate", color: "5319e7", description: "A phase gate between milestones" },
    { name: "type:tracking", color: "006b75", description: "Tracks the whole orchestration" },
    { name: "critical-path", color: "e11d21", description: "On the schedule's critical path" },
  ];
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
