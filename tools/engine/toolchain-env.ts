// Prints toolchainEnv() as shell commands for scripts/toolchain-env.sh to eval: the shell gets exactly the
// environment the tools give their child processes (test/toolchain-env.test.ts compares the two).
import { engineAvailable, TOOLCHAIN_DIR, toolchainEnv } from "./toolchain";

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function shellCommands(base: NodeJS.ProcessEnv): string {
  const env = toolchainEnv(base);
  const lines: string[] = [];
  for (const key of Object.keys(base)) if (env[key] === undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) lines.push(`unset ${key}`);
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && base[key] !== value) lines.push(`export ${key}=${quote(value)}`);
  if (!engineAvailable())
    lines.push(`echo ${quote(`[toolchain-env] warning: ${TOOLCHAIN_DIR} is not set up; run scripts/setup-toolchain.sh`)} >&2`);
  return lines.join("\n") + "\n";
}

if (require.main === module) process.stdout.write(shellCommands(process.env));
