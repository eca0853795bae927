import { z } from "zod";
import { Slug } from "./common";
import type { GpuRequest } from "./services";

/**
 * What a service needs to run the way its own project runs it: the container name its scripts and docs use, and the
 * working directory its command expects. Kept apart from the rest of the service schema.
 */
export const ServiceRuntimeFields = {
  containerName: Slug.optional().describe(
    "Docker container name, also its DNS name on every network it joins; default `<project>-<service>`. Set it to keep a name the project's own scripts and docs use",
  ),
  workingDir: z.string().startsWith("/").optional().describe("Working directory of the command; default: the image's"),
  interactive: z
    .boolean()
    .default(false)
    .describe("Keep stdin open and give the container a terminal (compose's `stdin_open` and `tty`), e.g. for a shell that must not exit"),
};

/**
 * The NVIDIA driver capabilities a GPU request carries into the container. kreuzwerker/docker 3.6.2 only reads back
 * `gpus = "all"`, so the capabilities cannot ride on the device request as compose's `capabilities:` do; the NVIDIA
 * runtime reads them from NVIDIA_DRIVER_CAPABILITIES instead ("gpu" is the device request itself, not a driver
 * capability). Undefined when there is nothing beyond "gpu".
 */
export function driverCapabilities(gpu: GpuRequest | undefined): string | undefined {
  const caps = (gpu?.capabilities ?? []).filter((c) => c !== "gpu");
  return caps.length > 0 ? caps.join(",") : undefined;
}
