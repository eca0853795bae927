// Generated paths that hold a person's file: sparky-infra leaves the file alone and, so that a reviewer sees both
// versions, reads the person's version at plan time and notes its own beside it in the synthesized config (the
// `//` comment of the read; tools/plan-preview/conflicts.ts renders the pair).
import { Construct } from "constructs";
import { DataGithubRestApi } from "@cdktf/provider-github/lib/data-github-rest-api";

import { CONFLICT_KEY, ConflictNote } from "./conflict-note";

/** Terraform-safe address from a stable key ("docs/x.md" → "docs-x-md"). */
export const addressKey = (key: string) => key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "");

/** A read of a conflicting path that carries the conflict note in its `//` comment (cdktf rewrites that comment
 * for data sources after overrides, so the note goes in with cdktf's own metadata). */
class ConflictRead extends DataGithubRestApi {
  constructor(
    scope: Construct,
    id: string,
    endpoint: string,
    private readonly note: ConflictNote,
  ) {
    super(scope, id, { endpoint });
  }

  protected get constructNodeMetadata() {
    return { ...super.constructNodeMetadata, [CONFLICT_KEY]: this.note };
  }
}

export class FileConflicts extends Construct {
  readonly paths: string[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: { owner: string; repositoryName: string; branch: string },
  ) {
    super(scope, id);
  }

  add(path: string, generated: string): void {
    const { owner, repositoryName, branch } = this.props;
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    new ConflictRead(
      this,
      `conflict-${addressKey(path)}`,
      `repos/${owner}/${repositoryName}/contents/${encoded}?ref=${encodeURIComponent(branch)}`,
      {
        path,
        generated,
      },
    );
    this.paths.push(path);
  }
}
