/**
 * Pure renderers for everything the orchestration puts into a repository: generated Markdown docs,
 * CODEOWNERS, issue/PR templates and issue bodies. No constructs are created here, so tests can assert the
 * text without synthesizing; the GitHub constructs only wrap the results in resources. One module per
 * document; this index is the public surface.
 */
export { renderCodeowners } from "./codeowners";
export { generatedFiles, type RepositoryContext } from "./generated-files";
export { labelDefinitions, type LabelDefinition } from "./labels";
export { dependentsOf, orchestratorDependencies, softDependentsOf, softReferenceEdges } from "./graph";
export {
  gateIssueTitle,
  type IssueRefs,
  renderGateIssueBody,
  renderTrackingIssueBody,
  renderWorkstreamIssueBody,
  trackingIssueTitle,
  workstreamIssueTitle,
} from "./issues";
export { DOCS_ROOT, GENERATED_MARKER } from "./markdown";
export { renderMetaOrchestratorDoc } from "./meta-orchestrator";
export { renderOrchestratorDoc } from "./orchestrator-doc";
export { scheduleText, workstreamSpecPath } from "./plan-text";
export {
  gateClosed,
  gateStatus,
  milestoneProgress,
  progressText,
  STATUS_LABELS,
  type StatusLabel,
  workstreamClosed,
  workstreamStatus,
} from "./status";
export { renderIssueTemplate, renderPullRequestTemplate } from "./templates";
export { renderWorkstreamPlanDoc } from "./workstream-plan";
export { renderWorkstreamReadme } from "./workstream-readme";
