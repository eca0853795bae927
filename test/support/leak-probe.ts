// A secret planted in every encoding the masker covers (raw, JSON-escaped once and twice, base64 standard and
// URL-safe with and without padding, inside a larger base64 blob at each alignment, URL- and form-encoded), for
// a plain value and a multi-line PEM, and the needles a leak check looks for: derived from the planted text
// itself, not from the masker.
import { createMasker } from "../../tools/engine/mask";

// Quote, backslash, slash, plus, space, ampersand and non-ASCII: every encoding differs from the raw value.
export const PROBE_SECRET = 'Pr0be"s3cr€t\\with/slash+plus & space?=';
export const PROBE_PEM = [
  "-----BEGIN PROBE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
  "BKcwggSjAgEAAoIBAQC7probeLine2x",
  "-----END PROBE KEY-----",
].join("\n");
/** Named like no secret: only the stacks' declared secret names make them one. */
export const PROBE_ENV = { PROBE_VALUE: PROBE_SECRET, PROBE_PEM };
export const PROBE_NAMES = ["PROBE_VALUE", "PROBE_PEM"];

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
const urlSafe = (s: string) => s.replace(/\+/g, "-").replace(/\//g, "_");

function planted(secret: string): Record<string, string> {
  return {
    raw: secret,
    json: JSON.stringify(secret).slice(1, -1),
    jsonTwice: JSON.stringify(JSON.stringify(secret)).slice(1, -1),
    base64: b64(secret),
    base64NoPadding: b64(secret).replace(/=+$/, ""),
    base64Url: urlSafe(b64(secret)),
    base64UrlNoPadding: urlSafe(b64(secret)).replace(/=+$/, ""),
    base64InsideShift1: b64(`x${secret}tail`),
    base64InsideShift2: b64(`xy${secret}tail`),
    base64UrlInside: urlSafe(b64(`xyz${secret}more`)),
    urlEncoded: encodeURIComponent(secret),
    formEncoded: encodeURIComponent(secret).replace(/%20/g, "+"),
  };
}

/** Every planted form, by name (`pem-…` for the PEM's). */
export const PROBE_FORMS: Record<string, string> = {
  ...planted(PROBE_SECRET),
  ...Object.fromEntries(Object.entries(planted(PROBE_PEM)).map(([k, v]) => [`pem-${k}`, v])),
};

const pemLines = PROBE_PEM.split("\n").filter((l) => !l.startsWith("-----"));
/** Each form whole, a window from the middle of each base64 blob the secret sits inside, each PEM line. */
const NEEDLES = [
  ...Object.entries(PROBE_FORMS).map(([k, v]) => (/Inside/.test(k) ? v.slice(8, 24) : v)),
  ...pemLines,
  ...pemLines.map((l) => b64(l).slice(0, 16)),
];

/** The needles found in the text (none is the goal). */
export const leaks = (text: string): string[] => NEEDLES.filter((n) => text.includes(n));

export const probeMasker = () => createMasker({ env: PROBE_ENV, names: PROBE_NAMES });

/** Container attributes that carry every planted form: env pairs, labels, uploaded files and a command line. */
export function probeContainer(): Record<string, unknown> {
  return {
    env: Object.entries(PROBE_FORMS).map(([k, v]) => `${k.toUpperCase().replace(/-/g, "_")}=${v}`),
    labels: Object.entries(PROBE_FORMS).map(([label, value]) => ({ label, value })),
    upload: Object.values(PROBE_FORMS).map((content, i) => ({ file: `/etc/f${i}`, content })),
    command: ["sh", "-c", `curl -H 'x: ${PROBE_FORMS.raw}' https://user:${PROBE_FORMS.urlEncoded}@example.test/`],
  };
}
