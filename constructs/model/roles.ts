import type { ServiceRoleName } from "./services";

/** What a service's role gives it unless the service says otherwise. */
export interface RoleDefaults {
  /** Seconds a deploy waits for a graceful stop before the container is removed (`stopGraceSeconds`). */
  stopGraceSeconds: number;
  /** Shared memory (`shmSize`); Docker's own default (64m) when unset. */
  shmSize?: string;
  /** A read-only root filesystem (`readOnlyRootfs`): writes go to volumes only. */
  readOnlyRootfs: boolean;
  /** Linux capabilities dropped (`capDrop`). */
  capDrop: readonly string[];
}

/**
 * The documented defaults per role. A service's own `stopGraceSeconds` or `shmSize` always wins; these only fill
 * what it leaves unset.
 */
export const ROLE_DEFAULTS: Readonly<Record<ServiceRoleName, RoleDefaults>> = {
  // GPU inference (ComfyUI, Ollama, vLLM): PyTorch needs shared memory, and in-flight generations finish before it
  // goes. It runs as an unprivileged user (the GPU comes from the NVIDIA runtime, not from capabilities), but model
  // caches are written all over the image, so the root filesystem stays writable.
  ml: { stopGraceSeconds: 30, shmSize: "2g", readOnlyRootfs: false, capDrop: ["ALL"] },
  // A queue worker drains its jobs on stop; like ml, unprivileged but writing caches into the image.
  backend: { stopGraceSeconds: 30, readOnlyRootfs: false, capDrop: ["ALL"] },
  // A thin API in front of the backend: unprivileged, and it writes only to its volumes.
  mcp: { stopGraceSeconds: 10, readOnlyRootfs: true, capDrop: ["ALL"] },
  // The host's monitoring set differs per image; each of its services states its own hardening (observability-set.ts).
  observability: { stopGraceSeconds: 10, readOnlyRootfs: false, capDrop: [] },
  // An interactive development container: people install things in it.
  dev: { stopGraceSeconds: 10, readOnlyRootfs: false, capDrop: [] },
};
