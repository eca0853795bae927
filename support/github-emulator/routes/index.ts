// The REST routes the integrations/github provider uses for the resources sparky-infra manages, one module per resource family.
import { Router } from "../router";
import type { EmulatorState } from "../state";
import { registerAccountRoutes } from "./accounts";
import { registerActionsSecretRoutes, registerActionsVariableRoutes } from "./actions";
import { registerCommitRoutes } from "./commits";
import { registerContentRoutes } from "./contents";
import { registerGitRefRoutes } from "./git-refs";
import { registerIssueRoutes } from "./issues";
import { registerLabelRoutes } from "./labels";
import { registerMilestoneRoutes } from "./milestones";
import { registerRepositoryRoutes } from "./repositories";
import { registerRepositoryFeatureRoutes } from "./repository-features";
import { registerRulesetRoutes } from "./rulesets";

/** Every REST route, in the order they are matched (the first route whose method and path match wins). */
export function buildRouter(state: EmulatorState): Router {
  const r = new Router();
  for (const register of [
    registerAccountRoutes,
    registerRepositoryRoutes,
    registerRepositoryFeatureRoutes,
    registerGitRefRoutes,
    registerCommitRoutes,
    registerContentRoutes,
    registerLabelRoutes,
    registerMilestoneRoutes,
    registerIssueRoutes,
    registerRulesetRoutes,
    registerActionsVariableRoutes,
    registerActionsSecretRoutes,
  ])
    register(r, state);
  return r;
}
