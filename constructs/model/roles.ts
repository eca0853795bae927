import type { ServiceRoleName } from "./services";

/** What a service's role gives it unless the service says otherwise. */
export interface RoleDefaults {
  /** Seconds a deploy waits for a graceful stop before the container is removed (`stopGraceSeconds`). */
  stopGraceSeconds: number;
  /** Shared memory (`shmSize`); Docker's own default (64m) when unset. */
  shmSize?: string;
}

/**
 * The documented defaults per role. A service's own `stopGraceSeconds` or `shmSize` always wins; these only fill
 * what it leaves unset.
 */
export const ROLE_DEFAULTS: Readonly<Record<ServiceRoleName, RoleDefaults>> = {
  // GPU inference (ComfyUI, Ollama, vLLM): PyTorch needs shared memory, and in-flight generations finish before it goes.
  ml: { stopGraceSeconds: 30, shmSize: "2g" },
  // A queue worker drains its jobs on stop.
  backend: { stopGraceSeconds: 30 },
  mcp: { stopGraceSeconds: 10 },
  observability: { stopGraceSeconds: 10 },
  dev: { stopGraceSeconds: 10 },
};
