import { IConstruct, Node } from "constructs";
import { TerraformElement, TerraformResource, TerraformStack } from "cdktf";

const MODEL_IDS = new WeakMap<IConstruct, string>();
const TERRAFORM_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Addresses every resource under `scope` by the model id `id` (`docker_container.<id>`, `docker_image.<id>`): their
 * resource types tell them apart. Without one, a resource is addressed by its own construct id.
 */
export function addressByModelId(scope: IConstruct, id: string): void {
  MODEL_IDS.set(scope, id);
}

/**
 * A stack whose resources have readable addresses keyed to the model (`docker_container.backend-worker`,
 * `github_issue.issue-WS-07`) instead of cdktf's hash of the construct path, so reshaping the constructs can never
 * rename, and thereby destroy and recreate, a deployed resource. Two resources of one type with one address fail
 * the synth, naming both.
 */
export class ModelAddressedStack extends TerraformStack {
  private readonly allocated = new Map<string, string>();

  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const below = node.scopes.slice(node.scopes.indexOf(this) + 1);
    if (below.length === 0) return "";
    const modelId = [...below].reverse().find((scope) => MODEL_IDS.has(scope));
    const id = modelId ? MODEL_IDS.get(modelId)! : node.id;
    if (!TERRAFORM_ID.test(id)) throw new Error(`${node.path}: "${id}" cannot be a Terraform address (letters, digits, "_" and "-")`);
    const kind = TerraformResource.isTerraformResource(element) ? element.terraformResourceType : element.constructor.name;
    const key = `${kind}.${id}`;
    const other = this.allocated.get(key);
    if (other !== undefined && other !== node.path)
      throw new Error(`two ${kind} resources would both be addressed "${id}": ${other} and ${node.path}; give one its own model id`);
    this.allocated.set(key, node.path);
    return id;
  }
}
