// Addresses are pinned: a construct refactor must never rename a deployed resource (the engine would destroy and
// recreate it). Every address pinned in test/fixtures/addresses/pinned.json must still exist, or be the `from` of a
// `moved` block that leads to an existing address. New addresses are pinned by rerunning the generator.
import { currentAddresses, PINNED_FILE } from "./fixtures/addresses/addresses";
import * as fs from "node:fs";

const pinned = JSON.parse(fs.readFileSync(PINNED_FILE, "utf8")) as ReturnType<typeof currentAddresses>;
const current = currentAddresses();

test("the same stacks as pinned", () => {
  expect(Object.keys(current).sort()).toEqual(Object.keys(pinned).sort());
});

test.each(Object.keys(pinned))("%s: every pinned address still exists or is moved to one that does", (key) => {
  const now = current[key];
  const lost = pinned[key].addresses.filter((a) => !now.addresses.includes(a) && !now.addresses.includes(now.moved[a] ?? ""));
  expect(lost).toEqual([]);
});

test.each(Object.keys(current))("%s: every address is pinned (node bin/run.js test/fixtures/addresses/addresses.ts)", (key) => {
  expect(current[key].addresses.filter((a) => !(pinned[key]?.addresses ?? []).includes(a))).toEqual([]);
});
