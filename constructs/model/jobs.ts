// What a service is beyond a long-running container: a one-shot job (runs to completion, its exit code checked), a
// scheduled job (supercronic in a long-running container runs it on a cron schedule) or a planned service (no source
// yet: documented, never deployed). The fields, their defaults and the scheduler's contract live here, once, for
// every rendering (Docker containers, swarm services).
import { z } from "zod";
import { Duration } from "./common";
import type { MetricsEndpointSpec, ServiceSpec } from "./services";
import { quotedWord } from "./shell";

/** supercronic (github.com/aptible/supercronic): the cron for containers that runs scheduled jobs. */
export const SUPERCRONIC = {
  module: "github.com/aptible/supercronic",
  version: "v0.2.48",
  /** Where every scheduler image carries it. */
  binary: "/usr/local/bin/supercronic",
  /** Where the generated crontab is placed in the container. */
  crontab: "/etc/supercronic/crontab",
  /** Its Prometheus endpoint (`-prometheus-listen-address`; supercronic's default port). */
  metricsPort: 9746,
} as const;

/**
 * The series supercronic serves for its runs (one crontab line per container, so one series each): runs finished,
 * succeeded and failed, runs still going when the next was due, runs in progress, run durations, and its own start.
 */
export const SUPERCRONIC_EXPOSES = [
  "supercronic_executions",
  "supercronic_successful_executions",
  "supercronic_failed_executions",
  "supercronic_deadline_exceeded",
  "supercronic_currently_running",
  "supercronic_cron_execution_time_seconds_bucket",
  "process_start_time_seconds",
] as const;

const ZoneName = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as "UTC" or "Europe/Berlin"' },
);

export const ScheduleSchema = z.strictObject({
  cron: z
    .string()
    .min(1)
    .describe(
      "When it runs, as supercronic reads cron: 5 fields (`0 0 * * *`), 7 with seconds first and year last (`*/5 * * * * * *`), or a shorthand (`@daily`)",
    ),
  timezone: ZoneName.default("UTC").describe('IANA time zone the expression is read in (supercronic\'s CRON_TZ), e.g. "Europe/Berlin"'),
  grace: Duration.default("30m").describe("How long a run may take (or start late) before the run counts as missed"),
});

export const PlannedSchema = z.strictObject({
  waitsFor: z.string().min(1).describe('What it waits for before it can be deployed, e.g. "WS-01 crates and the WS-04 Dockerfile"'),
  workstreams: z.array(z.string()).default([]).describe("Workstreams that deliver it; the docs and the tracking issue link their issues"),
});

/** The fields a service gets from this module (one spread line in the service schema). */
export const JobFields = {
  kind: z
    .enum(["service", "job"])
    .default("service")
    .describe(
      "`service` runs until stopped; `job` runs to completion and its exit code is checked (a failed job fails the deploy with its last log lines)",
    ),
  schedule: ScheduleSchema.optional().describe(
    "Runs the job on a schedule instead of once per deploy: a long-running container whose entrypoint is supercronic; `command` is then the whole command line (run with `sh -c`)",
  ),
  planned: PlannedSchema.optional().describe(
    "Not deployable yet (its image has no source): listed in the generated docs and the tracking issue, never deployed",
  ),
};

export type ScheduleSpec = z.infer<typeof ScheduleSchema>;
export type PlannedSpec = z.infer<typeof PlannedSchema>;

type JobShape = Pick<ServiceSpec, "kind" | "schedule">;

/** A job that runs once per deploy (no schedule): dependents may wait for it to complete. */
export const isOneShot = (spec: JobShape): boolean => spec.kind === "job" && spec.schedule === undefined;

/** A job run on a schedule by supercronic. */
export const isScheduled = (spec: JobShape): spec is JobShape & { schedule: ScheduleSpec } =>
  spec.kind === "job" && spec.schedule !== undefined;

/** The metrics endpoint a scheduled job serves (supercronic's); other services serve what they declare. */
export function metricsOf(spec: Pick<ServiceSpec, "kind" | "schedule" | "metrics">): MetricsEndpointSpec | undefined {
  if (!isScheduled(spec)) return spec.metrics;
  return {
    port: SUPERCRONIC.metricsPort,
    path: "/metrics",
    interval: "15s",
    timeout: "10s",
    exposes: [...SUPERCRONIC_EXPOSES],
    labels: { component: "schedule" },
    honorLabels: false,
    relabel: [],
  };
}

/** A one-shot job never restarts: Docker would run it again, and its exit code would no longer be the run's. */
export const restartOf = (spec: Pick<ServiceSpec, "kind" | "schedule" | "restart">): ServiceSpec["restart"] =>
  isOneShot(spec) ? "no" : spec.restart;

/** The scheduler's command line: supercronic serving its metrics on every interface, reading the generated crontab. */
export const schedulerEntrypoint = (): string[] => [SUPERCRONIC.binary, "-prometheus-listen-address", `0.0.0.0:${SUPERCRONIC.metricsPort}`];

/**
 * The crontab of one scheduled job: its time zone and one line. Every word of the command is quoted, so nothing of it
 * can be read as a seventh cron field or run as shell syntax.
 */
export function renderCrontab(owner: string, service: string, schedule: ScheduleSpec, command: readonly string[]): string {
  return [
    `# Generated by sparky-infra from the ${owner} model (${service}); do not edit.`,
    `CRON_TZ=${schedule.timezone}`,
    `${schedule.cron.trim()} ${command.map(quotedWord).join(" ")}`,
    "",
  ].join("\n");
}

/** Model id of a job's schedule alert group: `<project>_<service>_schedule` in Prometheus' group-name form. */
export const scheduleGroupName = (project: string, service: string): string => `${project}_${service}_schedule`.replace(/-/g, "_");

/**
 * How production images get supercronic: sparky-infra builds each scheduled job's image again on its Docker host,
 * FROM the job's own image, adding supercronic built from the Go module proxy (images/add-supercronic/Dockerfile in this
 * repository). Any image with a shell can be scheduled that way; the local target runs a prebuilt scheduler image.
 */
export const SCHEDULER_BUILD = {
  /** The build context, relative to the sparky-infra checkout. */
  context: "images/add-supercronic",
  dockerfile: "Dockerfile",
  /** The Go toolchain image that builds supercronic (its go.mod needs Go 1.26.5 or later). */
  goImage: "golang:1.26-bookworm",
} as const;

/** The tag of a scheduled job's image with supercronic added. */
export const schedulerImageTag = (owner: string, service: string): string =>
  `sparky-infra/${owner}-${service}-scheduler:${SUPERCRONIC.version}`;

/** A scheduled job's root filesystem stays writable: its crontab is placed into the container before it starts. */
export const readOnlyRootfsOf = (spec: Pick<ServiceSpec, "kind" | "schedule">, fallback: boolean): boolean =>
  isScheduled(spec) ? false : fallback;
