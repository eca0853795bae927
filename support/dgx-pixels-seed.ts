// A repository shaped like the real raibid-labs/dgx-pixels, seeded into the GitHub emulator through its REST API (as
// people made it): hand-written docs under docs/orchestration/, CLAUDE.md and CONTRIBUTING.md; labels of the
// project's own scheme in other colours; PIXELS-XXX issues, 2-4 per workstream (those of finished workstreams
// closed); one milestone. Everything a later step must find untouched is returned.
import type { GitHubEmulator } from "./github-emulator";
import { dgxPixels } from "../blueprints";

export interface SeededIssue {
  number: number;
  key: string;
  workstream: string;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
}

export interface SeededRepository {
  repo: string;
  /** Hand-written files by path, with their content. */
  files: Record<string, string>;
  /** Labels as seeded: name → colour. */
  labels: Record<string, string>;
  milestone: { number: number; title: string };
  issues: SeededIssue[];
}

/** The project's own label scheme (status, priority, domain, type), in colours of its own. */
const LABELS: [string, string][] = [
  ["status:draft", "d4c5f9"],
  ["status:ready", "0e8a16"],
  ["status:in-progress", "1d76db"],
  ["status:review", "fbca04"],
  ["status:completed", "5319e7"],
  ["priority:P0", "ff0000"],
  ["priority:P1", "ff9900"],
  ["priority:P2", "ffee99"],
  ["domain:foundation", "bfdadc"],
  ["domain:model", "bfdadc"],
  ["domain:interface", "bfdadc"],
  ["domain:integration", "bfdadc"],
  ["workstream", "000000"],
];

const page = (title: string, lines: string[]) => [`# ${title}`, "", ...lines, ""].join("\n");

/** Hand-written files at the paths people chose (several are paths sparky-infra generates too). */
function handWritten(): Record<string, string> {
  const orchestrator = (name: string, ws: string) =>
    page(`${name} Orchestrator`, [`Owns ${ws}.`, "", "## Handoffs", "- Notes kept by the team; not generated."]);
  return {
    "CLAUDE.md": page("CLAUDE.md", ["Project guidance for Claude Code, written by the team.", "", "- Run `just ci` before every PR."]),
    "CONTRIBUTING.md": page("Contributing", ["Branch per workstream, Conventional Commits, squash merge.", "", "- [ ] Tests pass"]),
    "docs/orchestration/meta-orchestrator.md": page("Meta Orchestrator", [
      "Hand-written coordination notes.",
      "",
      "## Gates",
      "- Gate 2 PASSED",
      "- Gate 3 PASSED",
    ]),
    "docs/orchestration/workstream-plan.md": page("Workstream Plan", [
      "18 workstreams, 56 issues (PIXELS-001..056).",
      "",
      "| WS | Issues |",
      "|---|---|",
      "| WS-01 | PIXELS-001, 002 |",
    ]),
    "docs/orchestration/project-summary.md": page("Project Summary", ["Four phase gates and the label scheme."]),
    "docs/orchestration/orchestrators/foundation.md": orchestrator("Foundation", "WS-01..WS-03"),
    "docs/orchestration/orchestrators/model.md": orchestrator("Model", "WS-04..WS-07"),
    "docs/orchestration/orchestrators/interface.md": orchestrator("Interface", "WS-08..WS-12"),
    "docs/orchestration/orchestrators/integration.md": orchestrator("Integration", "WS-13..WS-18"),
    "docs/orchestration/workstreams/template.md": page("Workstream template", ["**Status**: Not Started / In Progress / Completed"]),
    "docs/orchestration/workstreams/start-here.md": page("Start here", ["Specs ready: WS-01, WS-08, WS-13."]),
    "docs/orchestration/workstreams/ws01-hardware-baselines/README.md": page("WS-01: Hardware Baselines", ["**Status**: Completed"]),
    "docs/orchestration/workstreams/ws02-reproducibility/README.md": page("WS-02: Reproducibility", ["**Status**: Completed"]),
    "docs/orchestration/workstreams/ws03-benchmark-suite/COMPLETION_SUMMARY.md": page("WS-03 completion", ["Done."]),
    "docs/orchestration/workstreams/ws04-comfyui-setup/README.md": page("WS-04: ComfyUI Setup", ["**Status**: Completed in 1 day"]),
    "docs/orchestration/workstreams/ws08-rust-tui-core/README.md": page("WS-08: Rust TUI Core", ["**Status**: Completed"]),
    "docs/orchestration/workstreams/ws08-rust-tui-core/STATUS.json": `{ "status": "complete" }\n`,
    "docs/orchestration/workstreams/ws13-fastmcp-server/README.md": page("WS-13: FastMCP Server", ["**Status**: Completed"]),
  };
}

/** Titles as the team wrote them: the first key names the workstream (some worded differently), the others a part of it. */
function issueTitle(key: string, name: string, part: number): string {
  const wording: Record<string, string> = {
    "PIXELS-048": "DCGM Metrics and Observability",
    "PIXELS-001": "Hardware Baselines and Verification",
  };
  return part === 0 ? `${key}: ${wording[key] ?? name}` : `${key}: ${name} (part ${part + 1})`;
}

export async function seedDgxPixels(gh: GitHubEmulator, owner: string): Promise<SeededRepository> {
  const repo = dgxPixels.repository.name;
  const base = `/repos/${owner}/${repo}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await gh.request(method, path, body);
    if (r.status >= 300) throw new Error(`seed: ${method} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await call("POST", `/orgs/${owner}/repos`, {
    name: repo,
    description: "AI pixel art on a DGX Spark (hand-made description)",
    auto_init: true,
  });

  const labels: Record<string, string> = {};
  for (const [name, color] of LABELS) {
    await call("POST", `${base}/labels`, { name, color });
    labels[name] = color;
  }
  const milestone = await call("POST", `${base}/milestones`, {
    title: "M5 - Production Readiness",
    description: "Observability, packaging, CI",
  });

  const files = handWritten();
  for (const [path, content] of Object.entries(files))
    await call("PUT", `${base}/contents/${path}`, { message: `docs: add ${path}`, content: Buffer.from(content).toString("base64") });

  const issues: SeededIssue[] = [];
  for (const ws of dgxPixels.workstreams) {
    const keys = ws.issueKeys ?? [];
    const done = ws.status === "done";
    for (const [part, key] of keys.entries()) {
      const title = issueTitle(key, ws.name, part);
      const body = [
        `Workstream ${ws.id}.`,
        "",
        "## Acceptance Criteria",
        ...ws.acceptanceCriteria.map((c) => `- [${done ? "x" : " "}] ${c}`),
        "",
        "Notes from the team.",
      ].join("\n");
      const issueLabels = [
        "workstream",
        `priority:${ws.priority}`,
        `domain:${ws.orchestrator}`,
        done ? "status:completed" : "status:in-progress",
      ];
      const created = await call("POST", `${base}/issues`, {
        title,
        body,
        labels: issueLabels,
        ...(ws.milestone === "M5" ? { milestone: milestone.number } : {}),
      });
      if (done) await call("PATCH", `${base}/issues/${created.number}`, { state: "closed" });
      issues.push({ number: created.number, key, workstream: ws.id, title, body, state: done ? "closed" : "open", labels: issueLabels });
    }
  }
  return { repo, files, labels, milestone: { number: milestone.number, title: milestone.title }, issues };
}
