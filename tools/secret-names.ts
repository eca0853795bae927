// Prints the environment variable names that feed the target's secrets, one per line.
import { secretSources } from "../constructs/model";
import { loadModel } from "../stacks/load-model";
import { REPO_ROOT } from "./engine/toolchain";

const names = secretSources(loadModel(process.env, REPO_ROOT)).map((s) => s.name);
process.stdout.write(names.map((n) => `${n}\n`).join(""));
