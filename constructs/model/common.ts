import { z } from "zod";

/** Lower-case, DNS-friendly identifier used for projects, services, hosts and volumes. */
export const Slug = z.string().regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, 'must be lower-case letters, digits and dashes (e.g. "backend-worker")');

/**
 * A duration such as "15s", "1m", "1m30s" or "2h". Constructs convert it to the Go-canonical form
 * ("1m0s") that the docker provider reads back, so no perpetual diff appears.
 */
export const Duration = z.string().regex(/^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/, 'must be a duration like "30s", "1m" or "1m30s"');

/** A byte size such as "512m", "16g" or "100g". */
export const ByteSize = z.string().regex(/^\d+(\.\d+)?[kmgt]$/i, 'must be a size like "512m" or "16g"');

export const Priority = z.enum(["P0", "P1", "P2"]);

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-01-05"');

export const durationSeconds = (value: string): number => {
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const [, h = "0", m = "0", s = "0"] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
};

/** Go's time.Duration.String() for whole seconds: 90 → "1m30s", 60 → "1m0s", 3600 → "1h0m0s". */
export const goDuration = (value: string): string => {
  const total = durationSeconds(value);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
};

/** Size in MiB, as the docker provider's `memory` and `shm_size` expect. */
export const sizeInMiB = (value: string): number => {
  const match = /^(\d+(?:\.\d+)?)([kmgt])$/i.exec(value);
  if (!match) throw new Error(`not a size: ${value}`);
  const factor = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 }[match[2].toLowerCase() as "k" | "m" | "g" | "t"];
  return Math.round(Number(match[1]) * factor);
};
