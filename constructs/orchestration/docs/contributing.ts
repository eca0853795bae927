/** CONTRIBUTING.md: branches, pull requests and auto-merge, issues and labels, gates. */
import type { Project } from "../../model";
import type { OrchestrationPlan } from "../plan";
import { gateIssueTitle, workstreamIssueTitle } from "./issues";
import type { LabelDefinition } from "./labels";
import { mdMarker, table } from "./markdown";
import { orchestratorName } from "./plan-text";

const FAMILY_MEANING: Record<string, string> = {
  status: "Where the workstream or gate stands, from the blueprint",
  priority: "P0 blocks other work, P1 high, P2 nice to have",
  domain: "The domain orchestrator that owns it",
  milestone: "Its milestone",
  type: "Workstream, gate or tracking issue",
};

/** Label families as CONTRIBUTING lists them: the part before ":" (or the whole name), with its names. */
function labelFamilies(labels: readonly LabelDefinition[]): string[][] {
  const families = new Map<string, LabelDefinition[]>();
  for (const l of labels) {
    const family = l.name.includes(":") ? l.name.slice(0, l.name.indexOf(":")) : l.name;
    families.set(family, [...(families.get(family) ?? []), l]);
  }
  return [...families.entries()].map(([family, ls]) => [
    ls.map((l) => `\`${l.name}\``).join(", "),
    FAMILY_MEANING[family] ?? ls[0].description,
  ]);
}

export function renderContributing(project: Project, plan: OrchestrationPlan, labels: readonly LabelDefinition[]): string {
  const repo = project.repository;
  const example = plan.workstreams.find((w) => w.spec.status !== "done") ?? plan.workstreams[0];
  const owners = project.orchestrators.some((o) => o.owners.length > 0);
  const reviews = `${repo.requiredReviews} approving review${repo.requiredReviews === 1 ? "" : "s"}${owners && repo.requiredReviews > 0 ? ", one from the code owners of the changed paths (`.github/CODEOWNERS`)" : ""}`;
  return [
    mdMarker(project),
    `# Contributing to ${project.name}`,
    ``,
    `## Branches`,
    ``,
    `One branch per workstream, cut from \`${repo.defaultBranch}\` and named after its spec directory, e.g. \`${example.slug}\`.`,
    ``,
    `## Pull requests`,
    ``,
    `- Into \`${repo.defaultBranch}\`, which is protected: no direct pushes, force pushes or deletion, and a linear history.`,
    `- ${reviews}; a push dismisses earlier approvals.`,
    ...(repo.requiredChecks.length ? [`- Required checks: ${repo.requiredChecks.map((c) => `\`${c}\``).join(", ")}.`] : []),
    `- Squash merge only; the branch is deleted after the merge. Auto-merge is on: \`gh pr merge --auto --squash\` merges once reviews and checks pass.`,
    `- Fill in \`.github/pull_request_template.md\` and close the workstream's issue from the description.`,
    ``,
    `## Issues and labels`,
    ``,
    `Each workstream has one issue, e.g. \`${workstreamIssueTitle(example)}\`, in its milestone, and each phase gate one, e.g. \`${plan.gates[0] ? gateIssueTitle(plan.gates[0].spec) : "Gate: <name>"}\`. ` +
      `sparky-infra keeps their titles, milestones, its own labels and open or closed in sync with the blueprint; bodies, comments, assignees and any other label are yours.`,
    ``,
    table(["Labels", "Meaning"], labelFamilies(labels)),
    ``,
    `## Gates`,
    ``,
    plan.gates.length
      ? table(
          ["Gate", "Owner", "From → To", "Status"],
          plan.gates.map((g) => [
            g.spec.name,
            orchestratorName(plan, g.spec.owner),
            `${g.spec.from.join(", ")} → ${g.spec.to.join(", ")}`,
            g.spec.status,
          ]),
        )
      : "No gates.",
    ``,
  ].join("\n");
}
