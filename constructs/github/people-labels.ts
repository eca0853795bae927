// The labels people put on the model's issues, read at plan time so that the configured label set is the model's
// labels plus theirs: a deploy never drops a person's label, and restores a model label someone removed.
//
// An issue's own number cannot feed its labels (that reference would be a cycle), so the numbers come from
// outside the issues: the adoption map for adopted issues, and for issues sparky-infra created, an Actions
// variable it writes after creating them (`SPARKY_INFRA_ISSUE_NUMBERS`), read back by the next plan. Before the
// first apply neither exists (the read answers 404) and an issue has no labels of people's yet.
import { Construct } from "constructs";
import { TerraformIterator, TerraformResource, Token } from "cdktf";
import { ActionsVariable } from "@cdktf/provider-github/lib/actions-variable";
import { DataGithubRestApi } from "@cdktf/provider-github/lib/data-github-rest-api";
import type { Issue } from "@cdktf/provider-github/lib/issue";

export const ISSUE_NUMBERS_VARIABLE = "SPARKY_INFRA_ISSUE_NUMBERS";

export interface PeopleLabelsProps {
  owner: string;
  /** The repository's name (a literal: a reference would defer the reads whenever the repository changes). */
  repositoryName: string;
  /** Every label the model defines; any other label on an issue is a person's. */
  modelLabels: readonly string[];
  /** Issue numbers from the adoption map, by issue key ("issue-WS-16"). */
  adopted: Readonly<Record<string, number>>;
  /** The numbers variable already exists (the adoption map lists it): imported, not created. */
  variableExists?: boolean;
}

const address = (r: TerraformResource) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;
const dataAddress = (d: DataGithubRestApi) => `data.${d.terraformResourceType}.${d.friendlyUniqueId}`;
const hclString = (s: string) => JSON.stringify(s);

export class PeopleLabels extends Construct {
  private readonly reads: DataGithubRestApi;
  private readonly modelLabels: readonly string[];
  private readonly variableExists: boolean;
  private readonly repositoryName: string;

  constructor(scope: Construct, id: string, props: PeopleLabelsProps) {
    super(scope, id);
    this.modelLabels = [...props.modelLabels].sort();
    this.variableExists = props.variableExists ?? false;
    this.repositoryName = props.repositoryName;
    const repo = `repos/${props.owner}/${props.repositoryName}`;
    const numbers = new DataGithubRestApi(this, "issue-numbers", { endpoint: `${repo}/actions/variables/${ISSUE_NUMBERS_VARIABLE}` });
    const adopted = Object.entries(props.adopted)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, n]) => `${hclString(key)} = ${n}`)
      .join(", ");
    const known = `\${merge({${adopted}}, try(jsondecode(jsondecode(${dataAddress(numbers)}.body).value), {}))}`;
    const each = TerraformIterator.fromMap(Token.asAnyMap(known));
    this.reads = new DataGithubRestApi(this, "issue-labels", { forEach: each, endpoint: `${repo}/issues/${each.value}` });
  }

  /** The label set of the issue `key`: the model's `labels` (label resources, so they exist first) plus people's. */
  labels(key: string, labels: readonly TerraformResource[]): string[] {
    const model = labels.map((l) => `${address(l)}.name`).join(", ");
    const names = `[${this.modelLabels.map(hclString).join(", ")}]`;
    const people = `[for l in jsondecode(${dataAddress(this.reads)}[${hclString(key)}].body).labels : l.name if !contains(${names}, l.name)]`;
    return Token.asList(`\${setunion([${model}], try(${people}, []))}`);
  }

  /** Records the numbers of the issues sparky-infra manages, for the next plan's reads. */
  record(repository: string, issues: Readonly<Record<string, Issue>>): ActionsVariable {
    const entries = Object.entries(issues)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, issue]) => `${hclString(key)} = ${address(issue)}.number`)
      .join(", ");
    const variable = new ActionsVariable(this, "issue-numbers-variable", {
      repository,
      variableName: ISSUE_NUMBERS_VARIABLE,
      value: `\${jsonencode({${entries}})}`,
    });
    if (this.variableExists) variable.importFrom(`${this.repositoryName}:${ISSUE_NUMBERS_VARIABLE}`);
    return variable;
  }
}
