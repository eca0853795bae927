// Which names hold secrets: attribute and map keys, `KEY=value` pairs and environment variables.

/**
 * A name holds a secret when it ENDS with a secret word: GF_SECURITY_ADMIN_PASSWORD, API_TOKEN, client_secret,
 * private_key. A name that only mentions one names or describes a secret (secret_name = "DEPLOY_TOKEN",
 * secret_scanning, token_url): its value is shown.
 */
const SECRET_NAME = /(passw(or)?d|passphrase|secrets?|tokens?|(api|private|secret|access|signing|encryption)_?keys?|credentials?)$/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name.replace(/-/g, "_"));
}

/** The tools' own credentials, secret whatever a stack declares. */
export const TOOL_SECRET_ENV = ["GITHUB_TOKEN", "GH_TOKEN", "PGPASSWORD"] as const;
