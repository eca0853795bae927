import { TerraformResource, TerraformStack } from "cdktf";
import { makeUniqueId } from "cdktf/lib/private/unique";

/**
 * The construct path a resource had before addresses were keyed to the model (December 2026), for the resource
 * types whose address changed then; undefined for the others.
 */
export type HashedPath = (type: string, address: string) => string[] | undefined;

/** Services stacks: `<service>/container`, `<service>/image`, `network`, `volume-<name>`. */
export const PROJECT_SERVICES_PATHS: HashedPath = (type, address) =>
  type === "docker_container" || type === "docker_image"
    ? [address, type === "docker_container" ? "container" : "image"]
    : type === "docker_network"
      ? ["network"]
      : type === "docker_volume"
        ? [`volume-${address}`]
        : undefined;

/** Observability stacks: everything was under the `observability` construct. */
export const HOST_OBSERVABILITY_PATHS: HashedPath = (type, address) =>
  type === "docker_container" || type === "docker_image"
    ? ["observability", address, type === "docker_container" ? "container" : "image"]
    : type === "docker_network"
      ? ["observability", "network"]
      : undefined;

/**
 * `moved` blocks from each resource's old address (cdktf's hash of its construct path, e.g.
 * `docker_container.backend-worker_container_967497DB`) to its model-keyed one, so a stack deployed before the change
 * re-plans with moves only: nothing is destroyed or recreated. A moved block whose old address is not in the state is
 * ignored by the engine, so fresh deployments are unaffected.
 */
export function moveFromHashedAddresses(stack: TerraformStack, pathOf: HashedPath): void {
  for (const node of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(node)) continue;
    const resource = node as TerraformResource;
    const path = pathOf(resource.terraformResourceType, resource.friendlyUniqueId);
    if (!path) continue;
    const old = makeUniqueId(path);
    if (old !== resource.friendlyUniqueId) resource.moveFromId(`${resource.terraformResourceType}.${old}`);
  }
}
