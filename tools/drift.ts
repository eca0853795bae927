// Drift detection: `node bin/run.js tools/drift.ts [--stacks glob] [--json out] [--markdown out]`; exit 0 clean,
// 2 drift, 1 error. Reconcile only when asked: `tools/drift.ts reconcile --restore|--accept`. See tools/drift/cli.ts.
import { main } from "./drift/cli";

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`drift: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
