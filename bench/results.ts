// Reading hyperfine's exports (bench/.results/<name>.json) and formatting them, for bench/report.ts and its parts.
import * as fs from "node:fs";
import * as path from "node:path";

export interface Result {
  command: string;
  median: number;
  mean: number;
  stddev: number | null;
  min: number;
  max: number;
  times: number[];
}

export const load = (work: string, name: string): Result[] => {
  const file = path.join(work, `${name}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { results: Result[] }).results : [];
};

export const s = (x: number) => `${x.toFixed(2)} s`;

export const row = (r: Result, label = r.command) => `| ${label} | ${s(r.median)} | ${s(r.min)} – ${s(r.max)} | ${r.times.length} |`;

/** A text file of the results directory, trimmed; empty when absent. */
export const text = (work: string, name: string): string => {
  const file = path.join(work, name);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
};

/** "0.91 0.85 0.70 → 1.20 1.02 0.80": the load averages a run script recorded before and after a section. */
export const loadAverages = (work: string, section: string): string => text(work, `${section}.load`).split("\n").join(" → ");
