// Jobs, schedules and planned services in the model: validation, cron, the crontab, what Prometheus gets, and the
// generated schedule rules under real promtool (checked, then unit-tested against synthetic series).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { maxGapSeconds, parseCron, renderCrontab, scheduleAlertGroup } from "../constructs/model";
import { ModelValidationError, validateModel } from "../constructs/model/validate";
import { renderRuleFile } from "../constructs/observability/prometheus-config";
import { jobsProject } from "../support/jobs-fixture";
import { tinyConfig } from "../support/fixtures";

type Mutable = any;
const config = () => tinyConfig(["jobs"], false);

function problems(project: Mutable): string[] {
  try {
    validateModel(config(), [project]);
    return [];
  } catch (e) {
    if (e instanceof ModelValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
}

describe("jobs and planned services in the model", () => {
  test("the fixture is valid; the planned service is not placed, the jobs are, with their defaults", () => {
    const system = validateModel(config(), [jobsProject("jobs")]);
    const placed = system.hosts[0].projects[0];
    expect(Object.keys(placed.services).sort()).toEqual(["ollama", "pull-model", "tick", "worker"]);
    expect(placed.services["pull-model"].spec.restart).toBe("no");
    expect(placed.services.tick.spec.metrics).toMatchObject({
      port: 9746,
      exposes: expect.arrayContaining(["supercronic_failed_executions"]),
    });
    expect(system.hosts[0].observability.targets.map((t) => `${t.project}-${t.service}`)).toContain("jobs-tick");
    expect(system.hosts[0].observability.targets.map((t) => t.service)).not.toContain("later");
  });

  test("every misuse at once, each with its path and the fix", () => {
    const p: Mutable = jobsProject("jobs");
    p.services.worker.dependsOn = [
      { service: "later", condition: "started" },
      { service: "pull-model", condition: "started" },
      { service: "ollama", condition: "completed" },
    ];
    p.services.ollama.schedule = { cron: "0 0 * * *" };
    p.services["pull-model"].healthcheck = { test: ["CMD", "true"], probe: { tcp: { port: 80 } } };
    p.services["pull-model"].ports = [{ container: 80 }];
    p.services.tick.schedule = { cron: "0 0 30 2 *", timezone: "Mars/Olympus" };
    delete p.services.tick.command;
    p.services.later.planned.workstreams = ["WS-09"];
    expect(problems(p)).toEqual([
      'projects.jobs.services.tick.schedule.timezone: must be an IANA time zone such as "UTC" or "Europe/Berlin"',
    ]);
    p.services.tick.schedule.timezone = "Europe/Berlin";
    expect(problems(p)).toEqual([
      'projects.jobs.services.ollama.schedule: only a job runs on a schedule; set kind: "job"',
      'projects.jobs.services.pull-model.healthcheck: a job runs to completion and has no health; remove it (dependents wait with condition "completed")',
      "projects.jobs.services.pull-model.ports: a job serves nothing; remove its ports",
      'projects.jobs.services.worker.dependsOn[0]: "later" is planned (waits for the WS-02 crate), so "worker" cannot be deployed without it; mark "worker" planned too (planned: { waitsFor: "..." }), or drop the dependency',
      'projects.jobs.services.worker.dependsOn[1].condition: "pull-model" is a one-shot job; wait for it with condition "completed" (it has no "started" state worth waiting for)',
      'projects.jobs.services.worker.dependsOn[2].condition: "completed" waits for a one-shot job, and "ollama" is a service; use "started" or "healthy"',
      "projects.jobs.services.tick.command: a scheduled job needs its whole command line (supercronic runs it with sh -c; the image's entrypoint does not apply)",
      'projects.jobs.services.tick.schedule.cron: "0 0 30 2 *" never runs (no day matches it)',
      'projects.jobs.services.later.planned.workstreams[0]: unknown workstream "WS-09" (did you mean "WS-01"?)',
    ]);
  });

  test("a rule on a planned service's metric is still checked against the model (a typo is an error)", () => {
    const p: Mutable = jobsProject("jobs");
    p.alerts[0].rules[0].expr = "rate(later_run_total[1h]) == 0";
    expect(problems(p)).toEqual([
      'projects.jobs.alerts.later.LaterStalled.expr: unknown metric "later_run_total" (did you mean "later_runs_total"?)',
    ]);
  });

  test("Prometheus gets the rules of deployed services and the generated schedule group, never the planned service's", () => {
    const placed = validateModel(config(), [jobsProject("jobs")]).hosts[0].projects[0];
    expect(placed.alerts.map((g) => [g.name, g.rules.map((r) => r.alert)])).toEqual([
      ["later", ["TickDown"]],
      ["jobs_tick_schedule", ["ScheduledJobFailed", "ScheduledJobMissed", "ScheduledJobDown"]],
    ]);
    const real: Mutable = jobsProject("jobs");
    delete real.services.later.planned;
    const now = validateModel(config(), [real]).hosts[0].projects[0];
    expect(now.alerts[0].rules.map((r) => r.alert)).toEqual(["LaterStalled", "TickDown"]);
  });
});

describe("cron expressions as supercronic reads them", () => {
  const gap = (cron: string) => maxGapSeconds(parseCron(cron));
  test.each([
    ["0 0 * * *", 86_400],
    ["0 8 * * 1", 7 * 86_400],
    ["0 9 1 * *", 31 * 86_400],
    ["*/5 * * * * * *", 5],
    ["@hourly", 3600],
    ["0 12 * * mon-fri", 3 * 86_400],
    ["30 2 1,15 * *", 17 * 86_400],
    ["0 0 29 feb *", 1461 * 86_400],
  ])("%s: longest gap %i s", (cron, seconds) => expect(gap(cron)).toBe(seconds));

  test.each([
    ["0 0 * *", "has 4 fields; expected 5"],
    ["61 * * * *", "minute 61 is outside 0-59"],
    ["0 0 L * *", "not L, W or #"],
    ["0 0 * * * 2030", 'year "2030" must be *'],
    ["0 0 31 4 *", "never runs"],
  ])("%s is refused: %s", (cron, message) => expect(() => gap(cron)).toThrow(message));

  test("the crontab quotes every word, so no word of the command reads as a cron field", () => {
    expect(
      renderCrontab("sparky", "daily", { cron: "0 0 * * *", timezone: "UTC", grace: "30m" }, ["sh", "-c", "nu a.nu daily && echo 'ok'"]),
    ).toBe(
      [
        "# Generated by sparky-infra from the sparky model (daily); do not edit.",
        "CRON_TZ=UTC",
        `0 0 * * * 'sh' '-c' 'nu a.nu daily && echo '\\''ok'\\'''`,
        "",
      ].join("\n"),
    );
  });
});

describe("the generated schedule rules under promtool", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sparky-schedule-rules-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const group = scheduleAlertGroup("sparky", "daily", { cron: "0 0 * * *", timezone: "UTC", grace: "30m" });
  const rules = path.join(dir, "sparky.yml");
  fs.writeFileSync(rules, renderRuleFile("sparky", [group]));
  const job = 'job="sparky-daily",instance="sparky-daily:9746"';
  const run = (args: string[]) => spawnSync("promtool", args, { encoding: "utf8" });

  test("promtool check rules accepts them", () => {
    const r = run(["check", "rules", rules]);
    expect(`${r.stdout}${r.stderr}`).toContain("SUCCESS: 3 rules found");
    expect(r.status).toBe(0);
  });

  test("a failed run fires at once; a day without a finished run fires once the grace is over; a down scheduler after 5m", () => {
    const alert = (name: string, labels: Record<string, string> = {}) => {
      const rule = group.rules.find((r) => r.alert === name)!;
      return {
        exp_labels: { severity: "warning", component: "schedule", service: "daily", project: "sparky", ...labels },
        exp_annotations: { summary: rule.summary, description: rule.description },
      };
    };
    const series = { job: "sparky-daily", instance: "sparky-daily:9746" };
    const tests = {
      rule_files: [rules],
      evaluation_interval: "1m",
      tests: [
        {
          // Started at 0; no run finished by 24h30m: behind. One failure at 10m (its first sample is the failure).
          interval: "1m",
          input_series: [
            { series: `process_start_time_seconds{${job}}`, values: "0x1600" },
            { series: `up{${job}}`, values: "1x1600" },
            { series: `supercronic_failed_executions{${job}}`, values: "_x10 1x1590" },
          ],
          alert_rule_test: [
            { eval_time: "5m", alertname: "ScheduledJobFailed", exp_alerts: [] },
            { eval_time: "15m", alertname: "ScheduledJobFailed", exp_alerts: [alert("ScheduledJobFailed", series)] },
            { eval_time: "20h", alertname: "ScheduledJobMissed", exp_alerts: [] },
            { eval_time: "24h35m", alertname: "ScheduledJobMissed", exp_alerts: [alert("ScheduledJobMissed")] },
            { eval_time: "24h35m", alertname: "ScheduledJobDown", exp_alerts: [] },
          ],
        },
        {
          // A run finished at 24h: on schedule, nothing fires; then the scheduler stops answering.
          interval: "1m",
          input_series: [
            { series: `process_start_time_seconds{${job}}`, values: "0x1600" },
            { series: `supercronic_executions{${job}}`, values: "_x1440 1x160" },
            { series: `supercronic_successful_executions{${job}}`, values: "_x1440 1x160" },
            { series: `up{${job}}`, values: "1x1500 0x100" },
          ],
          alert_rule_test: [
            { eval_time: "24h35m", alertname: "ScheduledJobMissed", exp_alerts: [] },
            { eval_time: "24h35m", alertname: "ScheduledJobFailed", exp_alerts: [] },
            { eval_time: "25h10m", alertname: "ScheduledJobDown", exp_alerts: [alert("ScheduledJobDown", series)] },
          ],
        },
      ],
    };
    const file = path.join(dir, "tests.yml");
    fs.writeFileSync(file, stringify(tests));
    const r = run(["test", "rules", file]);
    expect(`${r.status}\n${r.stdout}${r.stderr}`).toMatch(/^0\n[\s\S]*SUCCESS/);
  });
});
