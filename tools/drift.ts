// Drift detection: `node bin/run.js tools/drift.ts [--stacks glob] [--json out] [--markdown out]`; exit 0 clean,
// 2 drift, 1 error. Reconcile only when asked: `tools/drift.ts reconcile --restore|--accept`. See tools/drift/cli.ts.
import { runCli } from "./engine/cli";
import { main } from "./drift/cli";

runCli("drift", () => main());
