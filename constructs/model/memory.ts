import { z } from "zod";
import { ByteSize } from "./common";

/** A host's memory, shared by everything placed on it (on a DGX Spark, CPU and GPU share one unified pool). */
export const HostMemorySchema = z
  .strictObject({
    total: ByteSize.describe('Physical memory, e.g. "128g" on a DGX Spark (unified: CPU and GPU share it)'),
    reserve: ByteSize.default("8g").describe("Kept for the operating system, the Docker engine and page cache; never given to containers"),
  })
  .describe("The host's memory; when set, the memory limits of everything placed on it must fit (see the memory budget)");

export type HostMemorySpec = z.infer<typeof HostMemorySchema>;
