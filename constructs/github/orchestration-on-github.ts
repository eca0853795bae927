import { Construct } from "constructs";
import { Token } from "cdktf";
import { Issue } from "@cdktf/provider-github/lib/issue";
import { RepositoryMilestone } from "@cdktf/provider-github/lib/repository-milestone";
import type { AdoptedIssue, GitHubAdoption } from "../model";
import {
  gateClosed,
  gateIssueTitle,
  gateStatus,
  generatedFiles,
  IssueRefs,
  labelDefinitions,
  milestoneProgress,
  renderGateIssueBody,
  renderTrackingIssueBody,
  renderWorkstreamIssueBody,
  RepositoryContext,
  softReferenceEdges,
  trackingIssueTitle,
  workstreamClosed,
  workstreamIssueTitle,
  workstreamStatus,
} from "../orchestration/docs";
import type { OrchestrationPlan } from "../orchestration/plan";
import { shareWithPeople, protect } from "./ownership";
import { ISSUE_NUMBERS_VARIABLE, PeopleLabels } from "./people-labels";
import { addressKey, GitHubRepository } from "./repository";

export interface OrchestrationOnGitHubProps {
  /** Organization or user that owns the repository. */
  readonly owner: string;
  readonly repository: GitHubRepository;
  readonly plan: OrchestrationPlan;
  /** What already exists in GitHub (the adoption map, when it applies): confirmed matches are imported. */
  readonly adoption?: GitHubAdoption;
  /** Where the project runs, for the generated CLAUDE.md and DOCKER-QUICKREF.md. */
  readonly context?: RepositoryContext;
}

/** Each issue's key: its address in the stack, and its key in SPARKY_INFRA_ISSUE_NUMBERS. */
export const ISSUE_KEYS = {
  workstream: (id: string) => `issue-${id}`,
  gate: (id: string) => `issue-gate-${addressKey(id)}`,
  tracking: "issue-tracking",
} as const;
const WORKSTREAM_KEY = ISSUE_KEYS.workstream;
const GATE_KEY = ISSUE_KEYS.gate;
const TRACKING_KEY = ISSUE_KEYS.tracking;

const confirmed = (entry: AdoptedIssue | undefined) => (entry?.confirmed ? entry : undefined);
/** A proposed match nobody confirmed yet: the object is neither imported nor created (that could duplicate it). */
const unconfirmed = (entry: AdoptedIssue | undefined) => entry !== undefined && !entry.confirmed;

/**
 * A project's orchestration made visible in its repository: labels for status, priority, domain and milestone,
 * one milestone per model milestone (closed once its workstreams are done), one issue per open workstream and
 * pending gate (a done workstream's or passed gate's issue is closed: the provider closes an issue whose resource
 * goes), a tracking issue, and the generated docs, CODEOWNERS and templates. Issue bodies are people's after
 * creation; titles, milestones, the model's labels and open/closed are the model's (ownership.ts).
 */
export class OrchestrationOnGitHub extends Construct {
  readonly milestones: Record<string, RepositoryMilestone> = {};
  /** Issues of the open workstreams, keyed by workstream id ("WS-01"). */
  readonly issues: Record<string, Issue> = {};
  /** Issues of the gates not passed yet, keyed by gate id. */
  readonly gateIssues: Record<string, Issue> = {};
  /** Undefined while its adoption is a pending proposal. */
  readonly trackingIssue?: Issue;
  private readonly repository: GitHubRepository;
  private readonly adoption?: GitHubAdoption;
  private readonly people: PeopleLabels;

  constructor(scope: Construct, id: string, props: OrchestrationOnGitHubProps) {
    super(scope, id);
    const { plan } = props;
    this.repository = props.repository;
    this.adoption = props.adoption;
    const repositoryName = plan.project.repository.name;
    const labels = labelDefinitions(plan);
    for (const label of labels) this.repository.addLabel(label);
    for (const m of plan.milestones) {
      if (unconfirmed(this.adoption?.milestones[m.spec.id])) continue;
      const milestone = new RepositoryMilestone(this, `milestone-${m.spec.id}`, {
        owner: props.owner,
        repository: this.repository.repository.name,
        title: `${m.spec.id}: ${m.spec.name}`,
        description: m.spec.goal,
        dueDate: m.dueDate, // date only (yyyy-mm-dd), the form the provider reads back
        state: milestoneProgress(m).status === "done" ? "closed" : "open",
      });
      // The provider updates a due date as 07:00 UTC, which GitHub files under the Pacific day before, so an update
      // never settles (the next plan wants it again): the date is set on creation, then it is people's to move.
      shareWithPeople(milestone, { people: ["due_date"], shared: [] });
      protect(milestone);
      const adopted = confirmed(this.adoption?.milestones[m.spec.id]);
      if (adopted) milestone.importFrom(`${props.owner}/${repositoryName}/${adopted.number}`);
      this.milestones[m.spec.id] = milestone;
    }
    this.people = new PeopleLabels(this, "people-labels", {
      owner: props.owner,
      repositoryName,
      modelLabels: labels.map((l) => l.name),
      adopted: this.adoptedNumbers(plan),
      variableExists: this.adoption?.variables.includes(ISSUE_NUMBERS_VARIABLE),
    });
    this.trackingIssue = this.defineIssues(plan);
    this.people.record(this.repository.repository.name, {
      ...Object.fromEntries(Object.entries(this.issues).map(([ws, issue]) => [WORKSTREAM_KEY(ws), issue])),
      ...Object.fromEntries(Object.entries(this.gateIssues).map(([gate, issue]) => [GATE_KEY(gate), issue])),
      ...(this.trackingIssue ? { [TRACKING_KEY]: this.trackingIssue } : {}),
    });
    for (const [path, content] of generatedFiles(plan.project, plan, props.context)) this.repository.addFile(path, content);
  }

  /** Confirmed adopted issues by issue key: their labels are read from the first plan on. */
  private adoptedNumbers(plan: OrchestrationPlan): Record<string, number> {
    const a = this.adoption;
    if (!a) return {};
    const numbers: Record<string, number> = {};
    for (const ws of plan.workstreams) {
      const entry = confirmed(a.workstreams[ws.spec.id]);
      if (entry && !workstreamClosed(ws.spec)) numbers[WORKSTREAM_KEY(ws.spec.id)] = entry.number;
    }
    for (const gate of plan.gates) {
      const entry = confirmed(a.gates[gate.spec.id]);
      if (entry && !gateClosed(gate.spec)) numbers[GATE_KEY(gate.spec.id)] = entry.number;
    }
    const tracking = confirmed(a.tracking);
    if (tracking) numbers[TRACKING_KEY] = tracking.number;
    return numbers;
  }

  /** An issue the model owns the title, milestone, labels and open/closed of; people own the rest. */
  private issue(
    key: string,
    config: { title: string; body: string; labels: string[]; milestoneNumber?: number },
    adopted?: AdoptedIssue,
  ): Issue {
    const repositoryName = this.repository.repository.name;
    const issue = new Issue(this, key, {
      repository: repositoryName,
      title: config.title,
      body: config.body,
      labels: this.people.labels(key, this.repository.labelResources(config.labels)),
      milestoneNumber: config.milestoneNumber,
    });
    // The tracking issue's body is the model's report, regenerated on every deploy.
    shareWithPeople(issue, { people: key === TRACKING_KEY ? ["assignees"] : ["body", "assignees"], shared: ["labels"] });
    protect(issue);
    if (adopted) issue.importFrom(`${this.adoption!.repository.name}:${adopted.number}`);
    return issue;
  }

  private defineIssues(plan: OrchestrationPlan): Issue | undefined {
    const project = plan.project;
    const repository = this.repository.repository;
    const adoption = this.adoption;
    const known = (entry: AdoptedIssue | undefined) => (confirmed(entry) ? `#${entry!.number}` : undefined);
    const refs: IssueRefs = {
      workstream: (id) => {
        const issue = this.issues[id];
        if (issue) return `#${Token.asString(issue.number)}`;
        if (!workstreamClosed(plan.workstream(id).spec) && !unconfirmed(adoption?.workstreams[id]))
          throw new Error(`issue for ${id} referenced before it exists (would be a cycle)`);
        return known(adoption?.workstreams[id]);
      },
      gate: (id) => (this.gateIssues[id] ? `#${Token.asString(this.gateIssues[id].number)}` : known(adoption?.gates[id])),
      file: (path) => `${repository.htmlUrl}/blob/${project.repository.defaultBranch}/${path}`,
    };
    const soft = softReferenceEdges(plan);

    // Create in dependency order so every referenced issue exists; the reference graph is acyclic by construction.
    // Done workstreams have no issue resource (closed), so they never hold anything up.
    const open = plan.workstreams.filter((w) => !workstreamClosed(w.spec) && !unconfirmed(adoption?.workstreams[w.spec.id]));
    const openIds = new Set(open.map((w) => w.spec.id));
    const created = new Set<string>();
    const pending = [...open];
    while (pending.length > 0) {
      const i = pending.findIndex((w) =>
        [...w.spec.dependsOn, ...(soft.get(w.spec.id) ?? [])].every((d) => created.has(d) || !openIds.has(d)),
      );
      if (i < 0) throw new Error(`cyclic issue references among ${pending.map((w) => w.spec.id).join(", ")}`);
      const [ws] = pending.splice(i, 1);
      const s = ws.spec;
      this.issues[s.id] = this.issue(
        WORKSTREAM_KEY(s.id),
        {
          title: workstreamIssueTitle(ws),
          body: renderWorkstreamIssueBody(project, plan, ws, refs, soft),
          labels: [
            "type:workstream",
            `status:${workstreamStatus(s)}`,
            `priority:${s.priority}`,
            `domain:${s.orchestrator}`,
            `milestone:${s.milestone}`,
            ...(ws.critical ? ["critical-path"] : []),
          ],
          milestoneNumber: this.milestones[s.milestone]?.number,
        },
        confirmed(adoption?.workstreams[s.id]),
      );
      created.add(s.id);
    }

    for (const gate of plan.gates) {
      const g = gate.spec;
      if (gateClosed(g) || unconfirmed(adoption?.gates[g.id])) continue;
      const lastMilestone = g.from[g.from.length - 1];
      this.gateIssues[g.id] = this.issue(
        GATE_KEY(g.id),
        {
          title: gateIssueTitle(g),
          body: renderGateIssueBody(project, plan, gate, refs),
          labels: [
            "type:gate",
            `status:${gateStatus(g)}`,
            ...(g.owner !== "meta" && this.repository.labels[`domain:${g.owner}`] ? [`domain:${g.owner}`] : []),
            ...g.from.map((m) => `milestone:${m}`).filter((n) => this.repository.labels[n]),
          ],
          milestoneNumber: this.milestones[lastMilestone]?.number,
        },
        confirmed(adoption?.gates[g.id]),
      );
    }

    if (unconfirmed(adoption?.tracking)) return undefined;
    return this.issue(
      TRACKING_KEY,
      { title: trackingIssueTitle(project), body: renderTrackingIssueBody(project, plan, refs), labels: ["type:tracking"] },
      confirmed(adoption?.tracking),
    );
  }
}
