// One live progress view on stderr for commands that run several stacks: a line per stack with its phase and
// elapsed time, redrawn in place on a terminal; on anything else (CI logs, pipes) one plain line per change.

export type Phase =
  | "queued"
  | "planning"
  | "checking"
  | "planned"
  | "waiting for dependencies"
  | "applying"
  | "waiting for health"
  | "waiting for jobs"
  | "destroying"
  | "no changes"
  | "done"
  | "failed"
  | "skipped";

const FINAL: ReadonlySet<Phase> = new Set(["no changes", "done", "failed", "skipped"]);
/** Phases before any work on the stack: its clock has not started. */
const IDLE: ReadonlySet<Phase> = new Set(["queued", "waiting for dependencies", "skipped"]);
/** Phases where the clock stops (a planned stack may wait a long time before its apply starts). */
const RESTING: ReadonlySet<Phase> = new Set([...FINAL, "planned"]);

interface Row {
  phase: Phase;
  detail: string;
  started?: number;
  ended?: number;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A stream that hands each complete line to `log` (for callers that collect lines, e.g. tests). */
export const lineStream = (log: (line: string) => void): ProgressStream => ({
  write: (text: string) => text.split("\n").filter(Boolean).forEach(log),
});

export class ProgressView {
  private readonly rows = new Map<string, Row>();
  private readonly width: number;
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    stacks: readonly string[],
    private readonly title: string,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    for (const s of stacks) this.rows.set(s, { phase: "queued", detail: "" });
    this.width = Math.max(0, ...stacks.map((s) => s.length));
    if (this.live) this.draw();
  }

  private get live(): boolean {
    return this.stream.isTTY === true;
  }

  /** Moves a stack to a phase; `detail` says what it is doing (e.g. which containers it waits for). */
  set(stack: string, phase: Phase, detail = ""): void {
    const row = this.rows.get(stack);
    if (!row || (row.phase === phase && row.detail === detail)) return;
    if (row.started === undefined && !IDLE.has(phase)) row.started = this.now();
    row.ended = RESTING.has(phase) ? this.now() : undefined;
    // A log gets a line per phase; counters within a phase ("3/6 resources") only update a terminal.
    const newPhase = row.phase !== phase;
    row.phase = phase;
    row.detail = detail;
    if (this.live) this.draw();
    else if (newPhase) this.stream.write(`[${this.title}] ${this.line(stack, row)}\n`);
  }

  /**
   * Leaves the block as it is on screen and stops redrawing, so other output (a question, a report) can follow
   * it. A later `set` starts a new block below.
   */
  finish(): void {
    if (!this.timer) return;
    this.draw();
    clearInterval(this.timer);
    this.timer = undefined;
    this.drawn = 0;
  }

  private line(stack: string, row: Row): string {
    const seconds = row.started === undefined ? "" : ` ${(((row.ended ?? this.now()) - row.started) / 1000).toFixed(1)} s`;
    return `${stack.padEnd(this.width)}  ${row.phase}${seconds}${row.detail ? `  (${row.detail})` : ""}`;
  }

  private draw(): void {
    if (!this.timer) {
      this.timer = setInterval(() => this.draw(), 500);
      this.timer.unref();
    }
    // Cut to the terminal's width: a wrapped line would throw off the redraw.
    const width = Math.max(20, (this.stream.columns || 120) - 1);
    const lines = [...this.rows].map(([stack, row]) => `${FINAL.has(row.phase) ? " " : "…"} ${this.line(stack, row)}`.slice(0, width));
    // Up to the first line drawn last time, then each line cleared and rewritten.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : "";
    this.stream.write(up + lines.map((l) => `\r\x1b[2K${l}\n`).join(""));
    this.drawn = lines.length;
  }
}
