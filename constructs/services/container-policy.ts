import { IAspect } from "cdktf";
import { IConstruct } from "constructs";
import { Container } from "@cdktf/provider-docker/lib/container";

/**
 * The policy every `docker_container` of a stack follows, whoever created it: the secure and drift-free defaults are
 * applied here once, and what the model must never produce fails the synth.
 *
 * - bounded json-file logs, stated explicitly (a daemon default would read back as a removal diff, kreuzwerker#473);
 * - bridge networking, stated explicitly (the provider reads it back);
 * - `no-new-privileges` always among the security options.
 */
export class ContainerPolicy implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof Container)) return;
    node.logDriver = "json-file";
    node.logOpts = { "max-size": "50m", "max-file": "3" };
    node.networkMode = "bridge";
    const opts = node.securityOptsInput ?? [];
    if (!opts.includes("no-new-privileges:true")) node.securityOpts = [...opts, "no-new-privileges:true"];
    // Validation refuses these in the model, with the model's paths; reaching them here is a bug in a construct.
    if (node.privilegedInput) throw new Error(`${node.node.path}: privileged containers are refused`);
    if (node.waitInput && !node.healthcheckInput) throw new Error(`${node.node.path}: waits until healthy but has no healthcheck`);
    // Waiting for a container's exit while the provider insists it runs would remove the finished job on every plan.
    if (node.attachInput && node.mustRunInput !== false) throw new Error(`${node.node.path}: waits for its exit but must keep running`);
    // Docker refuses to copy files into a container whose root filesystem is read-only.
    if (node.readOnlyInput && (node.uploadInput as unknown[] | undefined)?.length)
      throw new Error(`${node.node.path}: has uploaded files, so its root filesystem cannot be read-only`);
  }
}
