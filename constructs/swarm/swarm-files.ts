// What a swarm service reads from files: secrets (Docker secrets, from the deploying machine's environment) and
// configuration (Docker configs, rendered from the model). Both are immutable in Swarm and cannot be removed while a
// service uses them, so a change creates the new one first, moves the service over, then removes the old one.
import { createHash } from "node:crypto";
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { Config } from "@cdktf/provider-docker/lib/config";
import { Secret } from "@cdktf/provider-docker/lib/secret";
import type { ResolvedService } from "../model";
import { secretFilePath } from "../model/cluster";
import { addressByModelId } from "../core/addresses";
import { secretInput } from "../core/secret-input";
import type { ConfigFile } from "../services/docker-service";

export interface FileReference {
  id: string;
  name: string;
  /** Where the file appears in the task. */
  fileName: string;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** An address-safe slug of a path: "/etc/prometheus/prometheus.yml" → "etc-prometheus-prometheus-yml". */
const pathSlug = (path: string) =>
  path
    .replace(/^\/+/, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/-+$/, "");

/**
 * One Docker secret per secret of the service (`docker_secret.<service>_<VARIABLE>`), fed by the stack's sensitive
 * variable, mounted at /run/secrets/<VARIABLE>; the application finds it through its `_FILE` variable. Its name carries
 * the time it was created, never a digest of the value: a digest in a name anyone may list would let them test guesses.
 */
export function swarmSecrets(scope: Construct, service: ResolvedService): FileReference[] {
  return service.spec.secretEnv.map((s) => {
    const holder = new Construct(scope, `secret-${s.name}`);
    addressByModelId(holder, `${service.name}_${s.name}`);
    const value = secretInput(
      holder,
      s.from,
      `Secret for ${service.containerName}; deploy reads it from the environment variable ${s.from}`,
    );
    const secret = new Secret(holder, "secret", {
      name: `${service.containerName}-${s.name.toLowerCase().replace(/_/g, "-")}-${Fn.replace(Fn.timestamp(), ":", "")}`,
      data: Fn.base64encode(value.stringValue),
      // The name is fixed at creation; a new value replaces the secret, created before the old one goes.
      lifecycle: { ignoreChanges: ["name"], createBeforeDestroy: true },
    });
    return { id: secret.id, name: secret.name, fileName: s.name };
  });
}

/** The file variables that point the application at its secrets, e.g. GF_SECURITY_ADMIN_PASSWORD__FILE. */
export const secretFileEnv = (service: ResolvedService): Record<string, string> =>
  Object.fromEntries(service.spec.secretEnv.flatMap((s) => (s.file ? [[s.file, secretFilePath(s.name)]] : [])));

/**
 * One Docker config per rendered file (`docker_config.<service>_<path>`), named after its content: the same model gives
 * the same name, a changed file a new config that replaces the old one in the service.
 */
export function swarmConfigs(scope: Construct, service: ResolvedService, files: readonly ConfigFile[]): FileReference[] {
  return files.map((f) => {
    const holder = new Construct(scope, `config-${pathSlug(f.path)}`);
    addressByModelId(holder, `${service.name}_${pathSlug(f.path)}`);
    const config = new Config(holder, "config", {
      name: `${service.containerName}-${sha(`${f.path}\n${f.content}`).slice(0, 16)}`,
      data: Buffer.from(f.content, "utf8").toString("base64"),
      lifecycle: { createBeforeDestroy: true },
    });
    return { id: config.id, name: config.name, fileName: f.path };
  });
}
