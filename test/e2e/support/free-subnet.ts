import { randomInt } from "node:crypto";
import { subnetsOverlap } from "../../../constructs/model/checks/hosts";
import { docker } from "../../../support/docker";
import { lines } from "../../../support/processes";

/** A /24 in 10.0.0.0/8 that no network on this Docker engine overlaps, for a network a suite creates with a fixed range. */
export function freeSubnet(): { subnet: string; gateway: string } {
  const ids = lines(docker(["network", "ls", "-q"]).stdout);
  const used = lines(docker(["network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}}\n{{end}}", ...ids]).stdout).filter((s) =>
    /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = `10.${randomInt(64, 250)}.${randomInt(0, 256)}`;
    const subnet = `${base}.0/24`;
    if (!used.some((u) => subnetsOverlap(u, subnet))) return { subnet, gateway: `${base}.1` };
  }
  throw new Error("no free /24 in 10.64.0.0-10.249.255.0 on this engine");
}
