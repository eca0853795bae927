// The GraphQL endpoint. No resource sparky-infra manages needs GraphQL (rulesets are REST), so every request
// is answered with an error and flagged as unhandled.
import type { Reply } from "./http";
import type { EmulatorState } from "./state";

export const isGraphQLPath = (pathname: string) => pathname === "/api/graphql" || pathname === "/api/graphql/";

export function answerGraphQL(state: EmulatorState, method: string, pathname: string): Reply {
  state.unhandled.push({ method, path: pathname });
  process.stderr.write(`[github-emulator] unhandled GraphQL request: ${method} ${pathname}\n`);
  return { status: 200, body: { errors: [{ message: "GraphQL is not implemented by the sparky-infra GitHub emulator" }] } };
}
