// Standalone entry: `node bin/github-emulator.js --port 8787 --owner sparky-org --token test-token`.
// Prints the base URL (for the provider's base_url) on stdout, then serves until SIGINT/SIGTERM.
import { startGitHubEmulator } from "./index";

function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg("port") ?? process.env.GITHUB_EMULATOR_PORT ?? 0);
  const owner = arg("owner") ?? process.env.GITHUB_EMULATOR_OWNER ?? process.env.GITHUB_OWNER ?? "sparky-org";
  const token = arg("token") ?? process.env.GITHUB_EMULATOR_TOKEN ?? process.env.GITHUB_TOKEN ?? "test-token";
  const ownerType = (arg("owner-type") ?? process.env.GITHUB_EMULATOR_OWNER_TYPE ?? "Organization") as "Organization" | "User";
  const verbose = process.argv.includes("--verbose") || process.env.GITHUB_EMULATOR_VERBOSE === "1";
  const gh = await startGitHubEmulator({ port, owner, token, ownerType, verbose });
  process.stdout.write(`${gh.url}\n`);
  const shutdown = () => {
    const unhandled = gh.unhandledRoutes();
    if (unhandled.length)
      process.stderr.write(`[github-emulator] ${unhandled.length} unhandled request(s):\n  ${unhandled.join("\n  ")}\n`);
    gh.stop().then(() => process.exit(unhandled.length ? 3 : 0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((e) => {
  process.stderr.write(`github-emulator: ${(e as Error).message}\n`);
  process.exit(1);
});
