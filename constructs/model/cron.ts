// Cron expressions as supercronic reads them (its cronexpr package): 5 fields (minute hour day-of-month month
// day-of-week), 6 (and year) or 7 (second first, year last), or a shorthand (@hourly, @daily, @weekly, @monthly,
// @yearly). Checked here so a bad schedule is a model error with its path, never a scheduler that exits on the host;
// and measured: the longest wait between two runs decides when a run counts as missed.

const SHORTHANDS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 0 1 1 * *",
  "@annually": "0 0 0 1 1 * *",
  "@monthly": "0 0 0 1 * * *",
  "@weekly": "0 0 0 * * 0 *",
  "@daily": "0 0 0 * * * *",
  "@hourly": "0 0 * * * * *",
};

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

interface Field {
  name: string;
  min: number;
  max: number;
  /** Names accepted for values (months, days): in full or their first three letters. */
  names?: readonly string[];
  /** The first name's value (months start at 1, days at 0). */
  nameBase?: number;
}

const SECOND: Field = { name: "second", min: 0, max: 59 };
const MINUTE: Field = { name: "minute", min: 0, max: 59 };
const HOUR: Field = { name: "hour", min: 0, max: 23 };
const DAY_OF_MONTH: Field = { name: "day of month", min: 1, max: 31 };
const MONTH: Field = { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 };
// 7 is Sunday too, as in cron.
const DAY_OF_WEEK: Field = { name: "day of week", min: 0, max: 7, names: DAYS, nameBase: 0 };

/** A parsed expression: the values each field allows (`undefined` day fields are unrestricted, `*` or `?`). */
export interface CronSchedule {
  seconds: number[];
  minutes: number[];
  hours: number[];
  daysOfMonth?: Set<number>;
  months: Set<number>;
  daysOfWeek?: Set<number>;
}

export class CronError extends Error {}

/** What a field may hold here: supercronic's L, W and # are not read (a schedule with them is not checked for gaps). */
const READ = " (sparky-infra reads numbers, names, ranges, steps and lists; not L, W or #)";

function value(text: string, field: Field): number {
  const named = field.names?.findIndex((n) => text === n || text === n.slice(0, 3)) ?? -1;
  if (named >= 0) return named + (field.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new CronError(`"${text}" is not a ${field.name}${READ}`);
  const n = Number(text);
  if (n < field.min || n > field.max) throw new CronError(`${field.name} ${n} is outside ${field.min}-${field.max}`);
  return n;
}

/** The values one field allows: `*`, `?`, `n`, `a-b`, `*\/s`, `a/s`, `a-b/s` and lists of them. */
function parseField(text: string, field: Field): number[] | undefined {
  if (text === "*" || text === "?") return undefined;
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new CronError(`"${part}" is not a ${field.name}${READ}`);
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronError(`step ${stepText} in "${part}" must be at least 1`);
    let first = field.min;
    let last = field.max;
    if (range !== "*") {
      const [a, b] = range.split("-");
      first = value(a, field);
      last = b !== undefined ? value(b, field) : stepText !== undefined ? field.max : first;
      if (last < first) throw new CronError(`range "${range}" of the ${field.name} runs backwards`);
    }
    for (let v = first; v <= last; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

const all = (field: Field): number[] => Array.from({ length: field.max - field.min + 1 }, (_, i) => field.min + i);

/** Parses an expression, or throws a CronError that says what is wrong. */
export function parseCron(expression: string): CronSchedule {
  const normalized = expression.trim().toLowerCase();
  const fields = (SHORTHANDS[normalized] ?? normalized).split(/\s+/);
  if (fields.length < 5 || fields.length > 7)
    throw new CronError(
      `has ${fields.length} field${fields.length === 1 ? "" : "s"}; expected 5 (minute hour day month weekday), 6 (and year), 7 (second first, year last) or a shorthand such as @daily`,
    );
  const [second, rest] = fields.length === 7 ? [fields[0], fields.slice(1)] : ["0", fields];
  const [minute, hour, dom, month, dow, year] = rest;
  if (year !== undefined && year !== "*" && year !== "?")
    throw new CronError(`year "${year}" must be * (a schedule that ends cannot be watched for missed runs)`);
  const daysOfWeek = parseField(dow, DAY_OF_WEEK);
  const daysOfMonth = parseField(dom, DAY_OF_MONTH);
  return {
    seconds: parseField(second, SECOND) ?? all(SECOND),
    minutes: parseField(minute, MINUTE) ?? all(MINUTE),
    hours: parseField(hour, HOUR) ?? all(HOUR),
    daysOfMonth: daysOfMonth && new Set(daysOfMonth),
    months: new Set(parseField(month, MONTH) ?? all(MONTH)),
    daysOfWeek: daysOfWeek && new Set(daysOfWeek.map((d) => d % 7)),
  };
}

const DAY = 86_400;
/** The Gregorian calendar's weekdays repeat every 28 years between 1901 and 2099. */
const CALENDAR_CYCLE_DAYS = 28 * 365 + 7;

/** Whether a day runs the schedule; when both day fields are restricted either one suffices, as in cron. */
function runsOn(schedule: CronSchedule, date: Date): boolean {
  if (!schedule.months.has(date.getUTCMonth() + 1)) return false;
  const dom = schedule.daysOfMonth?.has(date.getUTCDate());
  const dow = schedule.daysOfWeek?.has(date.getUTCDay());
  if (dom === undefined && dow === undefined) return true;
  return dom === true || dow === true;
}

/**
 * The longest time, in seconds, between two consecutive runs (in UTC; a daylight-saving shift moves a run by an hour
 * at most). Throws a CronError when the expression never runs (e.g. 30 February).
 */
export function maxGapSeconds(schedule: CronSchedule): number {
  const times = schedule.hours.flatMap((h) => schedule.minutes.flatMap((m) => schedule.seconds.map((s) => h * 3600 + m * 60 + s)));
  times.sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
  // Days that run it over one full calendar cycle, plus the first one again to close the cycle.
  const start = Date.UTC(2001, 0, 1);
  const days: number[] = [];
  for (let d = 0; d < CALENDAR_CYCLE_DAYS; d++) if (runsOn(schedule, new Date(start + d * DAY * 1000))) days.push(d);
  if (days.length === 0) throw new CronError("never runs (no day matches it)");
  days.push(days[0] + CALENDAR_CYCLE_DAYS);
  const span = times[times.length - 1] - times[0];
  for (let i = 1; i < days.length; i++) gap = Math.max(gap, (days[i] - days[i - 1]) * DAY - span);
  return gap;
}
