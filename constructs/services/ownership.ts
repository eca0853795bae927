import { Network } from "@cdktf/provider-docker/lib/network";
import { Volume } from "@cdktf/provider-docker/lib/volume";
import type { Construct } from "constructs";

import { OWNER_LABEL } from "../core/labels";

const ownerLabel = (owner: string) => [{ label: OWNER_LABEL, value: owner }];

/**
 * A network labelled with its owner, with a fixed range when the model gives one: a bridge on one host, an overlay
 * (attachable, so the loopback proxy, a plain container, can join it) on a swarm. Like a volume's, its labels never
 * replace it (Docker cannot change them): an adopted network keeps the labels its creator gave it.
 */
export function ownedNetwork(
  scope: Construct,
  id: string,
  owner: string,
  spec: { name: string; subnet?: string; gateway?: string },
  driver: "bridge" | "overlay" = "bridge",
): Network {
  return new Network(scope, id, {
    name: spec.name,
    driver,
    ...(driver === "overlay" ? { attachable: true } : {}),
    ipamConfig: spec.subnet ? [{ subnet: spec.subnet, gateway: spec.gateway }] : undefined,
    labels: ownerLabel(owner),
    lifecycle: { ignoreChanges: ["labels"] },
  });
}

/**
 * A volume labelled with its owner. Labels never replace it: Docker cannot change a volume's labels, and one adopted
 * from another tool (compose labels its volumes) holds data that a replacement would throw away.
 */
export function ownedVolume(scope: Construct, id: string, owner: string, spec: { name: string; hostPath?: string }): Volume {
  return new Volume(scope, id, {
    name: spec.name,
    driverOpts: spec.hostPath ? { type: "none", o: "bind", device: spec.hostPath } : undefined,
    labels: ownerLabel(owner),
    lifecycle: { ignoreChanges: ["labels"] },
  });
}
