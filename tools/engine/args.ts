// Command-line parsing for every tool, on node:util parseArgs: `--key value` and `--key=value` both work,
// `-h`/`--help` prints the usage, and an unknown or incomplete flag is a UsageError that names it.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Bad input from the user: reported as its message alone (no stack trace), with exit code 1. */
export class InputError extends Error {}

export class UsageError extends InputError {}

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedCommandLine<O extends Options> {
  values: { [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : O[K] extends { multiple: true } ? string[] : string };
  positionals: string[];
  help: boolean;
}

export function parseCommandLine<O extends Options>(argv: readonly string[], options: O, usage: string): ParsedCommandLine<O> {
  const known = Object.keys(options).map((k) => `--${k}`);
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    const { help, ...rest } = values as Record<string, unknown>;
    return { values: rest as ParsedCommandLine<O>["values"], positionals, help: help === true };
  } catch (e) {
    const error = e as Error & { code?: string };
    const flag = /'(-[^' ]+)/.exec(error.message)?.[1] ?? "";
    const message =
      error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        ? `unknown argument ${flag} (known: ${known.join(", ")})`
        : error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE"
          ? `${flag} ${/does not take an argument/.test(error.message) ? "takes no value" : "needs a value (--key value or --key=value)"}`
          : error.message;
    throw new UsageError(`${message}\n${usage}`);
  }
}

/** A whole number ≥ 1 from a flag's value, or a UsageError naming the flag. */
export function positiveInteger(flag: string, value: string | undefined, fallback: number, usage: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} must be a whole number of at least 1, not "${value}"\n${usage}`);
  return n;
}
