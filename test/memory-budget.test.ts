// The unified-memory budget: a host that declares its memory gets every limit placed on it summed against what its
// OS reserve leaves; an over-commit is refused with the host, the total and the biggest consumers.
import { blueprints } from "../blueprints";
import { DEFAULT_CONFIG } from "../config/default-config";
import { memoryBudget } from "../constructs/model/checks/memory";
import { ModelValidationError, validateModel } from "../constructs/model/validate";
import { memoryBudgetLines } from "../stacks/memory-report";

const problemsOf = (config: unknown, target: string, projects: readonly unknown[] = blueprints): string[] => {
  try {
    validateModel(config, projects, { target });
    return [];
  } catch (error) {
    if (!(error instanceof ModelValidationError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

const withDevProfile = () => {
  const config = structuredClone(DEFAULT_CONFIG) as any;
  config.targets.dgx.profiles = ["dev"];
  return config;
};

test("the dgx target fits the Spark's 128g less its 8g reserve; the table lists every container, largest first", () => {
  const system = validateModel(structuredClone(DEFAULT_CONFIG), blueprints, { target: "dgx" });
  const budget = memoryBudget(system.hosts[0])!;
  expect(budget.availableMiB).toBe(120 * 1024);
  expect(budget.committedMiB).toBeLessThanOrEqual(budget.availableMiB);
  expect(budget.shares.slice(0, 3).map((s) => s.container)).toEqual(["dgx-pixels-comfyui", "dgx-pixels-backend", "sparky-ollama"]);
  const lines = memoryBudgetLines(system);
  expect(lines[0]).toMatch(/^sparky-infra: memory budget of host dgx: 102\.8g of 120g committed \(128g less 8g reserved\)$/);
  expect(lines).toContain("  dgx-pixels-comfyui          80g");
  expect(lines.some((l) => /sparky-pull-model\s+512m$/.test(l))).toBe(true);
});

test("an over-committed host is refused, naming the host, the total and the biggest consumers", () => {
  expect(problemsOf(withDevProfile(), "dgx")).toEqual([
    'config.hosts.dgx.memory: host "dgx" is over-committed: memory limits total 202.8g, but only 120g is available (128g less 8g reserved); ' +
      "biggest: dgx-pixels-dev 100g, dgx-pixels-comfyui 80g, dgx-pixels-backend 8g. Lower a limit, leave a profile out of the target, or place a project on another host",
  ]);
});

test("a GPU or ML service without a limit is refused on a budgeted host, and not checked on a host without memory", () => {
  const project = structuredClone(blueprints.find((b) => b.id === "sparky")!) as any;
  delete project.services.ollama.memory;
  const others = blueprints.filter((b) => b.id !== "sparky");
  expect(problemsOf(structuredClone(DEFAULT_CONFIG), "dgx", [...others, project])).toEqual([
    'projects.sparky.services.ollama.memory: a GPU or ML service on host "dgx" needs a memory limit (the host\'s memory is budgeted: config.hosts.dgx.memory)',
  ]);
  expect(problemsOf(structuredClone(DEFAULT_CONFIG), "local", [...others, project])).toEqual([]);
  const system = validateModel(structuredClone(DEFAULT_CONFIG), blueprints, { target: "local" });
  expect(memoryBudget(system.hosts[0])).toBeUndefined();
  expect(memoryBudgetLines(system)).toEqual([]);
});
