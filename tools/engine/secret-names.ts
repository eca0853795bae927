// Which names hold secrets: the model's definition, plus the tools' own credentials.
import { GITHUB_TOKEN_VARIABLE, isSecretName, PG_PASSWORD_VARIABLE } from "../../constructs/model/secrets";

export const looksSecret = isSecretName;

/** The tools' own credentials, secret whatever a stack declares. */
export const TOOL_SECRET_ENV = [GITHUB_TOKEN_VARIABLE, "GH_TOKEN", PG_PASSWORD_VARIABLE] as const;
