/** The repository's issue template for workstreams and its pull request template. */
import type { Project } from "../../model";
import { DOCS_ROOT, GENERATED_MARKER } from "./markdown";

/** "PIXELS-NNN: <name>" where the repository keys its issues, else "WS-NN: <name>" (workstreamIssueTitle's rule). */
const issueTitlePattern = (project: Project) => {
  const key = project.workstreams.find((w) => w.issueKeys.length > 0)?.issueKeys[0];
  return key ? `${key.replace(/\d+$/, (d) => "N".repeat(d.length))}: <name>` : "WS-NN: <name>";
};

export function renderIssueTemplate(project: Project): string {
  return [
    `---`,
    `# ${GENERATED_MARKER}: rendered from the ${project.id} blueprint`,
    `name: Workstream`,
    `about: A unit of agent work in the ${project.name} orchestration`,
    `title: "${issueTitlePattern(project)}"`,
    `labels: type:workstream, status:not-started`,
    `---`,
    ``,
    `## Summary`,
    ``,
    `## Workstream`,
    `WS-NN: <name>`,
    ``,
    `## Orchestrator`,
    project.orchestrators.map((o) => o.name).join(" | "),
    ``,
    `## Milestone`,
    project.milestones.map((m) => m.id).join(" | "),
    ``,
    `## Acceptance Criteria`,
    `- [ ] `,
    ``,
    `## Dependencies`,
    `- Depends on: #`,
    `- Soft: #`,
    `- Blocks: WS-NN`,
    ``,
    `## Agent Type`,
    ``,
    `## Priority`,
    `P0 | P1 | P2`,
    ``,
    `## Estimated Duration`,
    ``,
    `## Specification`,
    `${DOCS_ROOT}/workstreams/wsNN-<slug>/README.md`,
    ``,
  ].join("\n");
}

export function renderPullRequestTemplate(project: Project): string {
  return [
    `<!-- ${GENERATED_MARKER}: rendered from the ${project.id} blueprint -->`,
    `## Summary`,
    ``,
    `## Workstream`,
    `Closes #`,
    ``,
    `## Changes`,
    `- `,
    ``,
    `## Acceptance Criteria`,
    `- [ ] `,
    ``,
    `## Test Results`,
    ...(project.repository.requiredChecks.length
      ? [`Required checks: ${project.repository.requiredChecks.map((c) => `\`${c}\``).join(", ")}`]
      : []),
    ``,
    `## Dependencies`,
    `- Depends on: #`,
    `- Blocks: #`,
    ``,
    `## Screenshots/Demos`,
    ``,
  ].join("\n");
}
