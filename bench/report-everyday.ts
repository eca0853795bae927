// The everyday loop's part of bench/results.md (sections `everyday` and `everyday-scale` of bench/run.sh): every
// figure, then each goal beside its baseline from the same hyperfine run, with a pass or miss mark.
import { load, loadAverages, Result, row, s, text } from "./results";

interface Goal {
  what: string;
  ours?: Result;
  /** The baseline measured in the same run; an absolute goal has none. */
  baseline?: Result;
  baselineLabel?: string;
  /** At most this many times the baseline, or (without a baseline) at most this many seconds. */
  limit: number;
}

const mark = (ok: boolean) => (ok ? "✔ pass" : "✘ miss");

function goalRow(g: Goal): string | undefined {
  if (!g.ours) return undefined;
  if (!g.baseline) return `| ${g.what} | ${s(g.ours.median)} | | | ≤ ${g.limit} s | ${mark(g.ours.median <= g.limit)} |`;
  const ratio = g.ours.median / g.baseline.median;
  return `| ${g.what} | ${s(g.ours.median)} | ${g.baselineLabel}: ${s(g.baseline.median)} | ${ratio.toFixed(2)}× | ≤ ${g.limit}× | ${mark(ratio <= g.limit)} |`;
}

function everyday(work: string): string[] {
  const results = load(work, "everyday");
  if (results.length === 0) return [];
  const parts = load(work, "everyday-parts");
  const find = (prefix: string) => results.find((r) => r.command.startsWith(prefix));
  const compose = find("compose: dgx-pixels");
  const composeAll = find("compose: the 3 Docker stacks");
  const deploy = find("just deploy local dgx-pixels-services");
  const diff = find("just diff local");
  const goals: Goal[] = [
    {
      what: "no-op `just deploy local dgx-pixels-services`",
      ours: deploy,
      baseline: compose,
      baselineLabel: "`docker compose up -d`",
      limit: 1.5,
    },
    {
      what: "`just diff` of the 3 Docker stacks",
      ours: diff,
      baseline: composeAll,
      baselineLabel: "the 3 compose no-ops, one after another",
      limit: 2,
    },
    { what: "`just drift`, all 5 stacks of both blueprints", ours: find("just drift, all 5"), limit: 4 },
    {
      what: "ssh://, shared connection: no-op deploy",
      ours: find("ssh://, shared connection (default): just deploy"),
      baseline: deploy,
      baselineLabel: "the same, local engine",
      limit: 1.5,
    },
    {
      what: "ssh://, shared connection: diff",
      ours: find("ssh://, shared connection (default): just diff"),
      baseline: diff,
      baselineLabel: "the same, local engine",
      limit: 1.5,
    },
  ];
  const unshared = (prefix: string, local?: Result) => {
    const r = find(prefix);
    return r && local ? `| ${r.command} | ${s(r.median)} | ${(r.median / local.median).toFixed(2)}× the local engine |` : undefined;
  };
  const sessions = text(work, "everyday-ssh.tsv")
    .split("\n")
    .filter(Boolean)
    .map((line) => `| ${line.split("\t").join(" | ")} |`);
  return [
    "## The everyday loop, nothing changed (warm)",
    "",
    "Every stack of both blueprints deployed on the local engine (GitHub stacks on the emulator), and beside it the",
    "equivalent compose deployment (bench/compose-file.ts --beside: other names and ports), timed in one hyperfine run;",
    "then the same deployment through a test sshd on 127.0.0.1. Docker Compose and the engine run on the same machine.",
    `Load average (1, 5, 15 min), before → after: ${loadAverages(work, "everyday")}. hyperfine times the commands`,
    "one after another (every run of one, then the next), so when the machine's load changes during the run, the",
    "commands timed later see another machine than those timed first: read the ratios with the load averages.",
    "",
    "| command | median | range | runs |",
    "|---|---|---|---|",
    ...results.map((r) => row(r)),
    "",
    "| goal | sparky-infra | baseline (same run) | ratio | goal | |",
    "|---|---|---|---|---|---|",
    ...goals.map(goalRow).filter((r): r is string => r !== undefined),
    "",
    ...(parts.length > 0
      ? [
          "Where the time goes (the same deployment, same run): the parts of one no-op `just deploy` of",
          "dgx-pixels-services, timed alone (a deploy reuses the last synth when nothing it reads changed; the app alone",
          "always synthesizes), and the one stack that bounds a drift check, checked alone.",
          "",
          "| part | median | range | runs |",
          "|---|---|---|---|",
          ...parts.map((r) => row(r)),
          "",
        ]
      : []),
    ...(text(work, "everyday-diff.txt")
      ? ["A no-op `just diff` of the 3 Docker stacks says:", "", "```text", text(work, "everyday-diff.txt"), "```", ""]
      : []),
    "Without connection sharing (for comparison):",
    "",
    "| command | median | against |",
    "|---|---|---|",
    ...[unshared("ssh://, ControlMaster=no: just deploy", deploy), unshared("ssh://, ControlMaster=no: just diff", diff)].filter(
      (r): r is string => r !== undefined,
    ),
    "",
    ...(sessions.length > 0
      ? [
          "SSH logins (connections) and sessions the sshd logged per run (LogLevel VERBOSE); the first run after the shared",
          "connection was closed opens it, later runs reuse it:",
          "",
          "| run | logins | sessions |",
          "|---|---|---|",
          ...sessions,
          "",
        ]
      : []),
  ];
}

function everydayScale(work: string): string[] {
  const results = load(work, "everyday-scale");
  if (results.length === 0) return [];
  const counts = [...new Set(results.map((r) => Number(/, (\d+) project/.exec(r.command)?.[1])))].filter((n) => n > 0);
  const median = (kind: string, n: number) => {
    const r = results.find((x) => x.command.startsWith(`just ${kind}, ${n} project`));
    return r ? s(r.median) : "–";
  };
  return [
    "## The everyday loop at scale (warm)",
    "",
    "N dgx-pixels-sized projects (bench/scale-config.ts --local) deployed on the local engine; `just diff` (nothing",
    "changed) and `just drift` of their services stacks, each with a config of N projects (synth included).",
    `Load average (1, 5, 15 min), before → after: ${loadAverages(work, "everyday-scale")}.`,
    "",
    "| projects | services stacks | just diff | just drift |",
    "|--:|--:|--:|--:|",
    ...counts.map((n) => `| ${n} | ${n} | ${median("diff", n)} | ${median("drift", n)} |`),
    "",
  ];
}

export function everydayReport(work: string): string[] {
  return [...everyday(work), ...everydayScale(work)];
}
