// How far a workstream has got, and the issues a repository already tracks it under. Gates keep their own status
// (orchestration.ts); a milestone's progress follows from its workstreams.
import { z } from "zod";

export const WorkstreamStatus = z.enum(["not-started", "in-progress", "done"]);
export type WorkstreamStatusValue = z.infer<typeof WorkstreamStatus>;

/** An issue key as teams write it in titles and commit footers, e.g. "PIXELS-001". */
export const IssueKey = z.string().regex(/^[A-Z][A-Z0-9]*-\d+$/, 'must look like "PIXELS-001"');

/** Fields a workstream gains for tracking (spread into WorkstreamSchema). */
export const workstreamTrackingFields = {
  status: WorkstreamStatus.default("not-started").describe(
    "`not-started`, `in-progress` or `done`; a done workstream's issue is closed, and a milestone whose workstreams are all done is closed",
  ),
  issueKeys: z
    .array(IssueKey)
    .default([])
    .describe(
      'Keys of the issues the repository already tracks this workstream under, e.g. ["PIXELS-001", "PIXELS-002"]; the first one names its issue (`PIXELS-001: <name>`) and `just adopt` matches titles by them',
    ),
};
