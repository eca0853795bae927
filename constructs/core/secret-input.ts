import { IConstruct } from "constructs";
import { TerraformStack, TerraformVariable } from "cdktf";

/**
 * The stack's sensitive input variable named exactly as the environment variable that feeds it (TF_VAR_<name>),
 * created once per stack. Secrets reach the engine only this way: never as literals in the synthesized config.
 */
export function secretInput(scope: IConstruct, name: string, description: string): TerraformVariable {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(name) as TerraformVariable | undefined;
  return existing ?? new TerraformVariable(stack, name, { type: "string", sensitive: true, nullable: false, description });
}
