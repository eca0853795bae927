#!/usr/bin/env node
// The cdktf "app" command: bundle main.ts, then run it in this process.
const { buildEntry } = require("./build");
require(buildEntry("main.ts", ".build/main.js"));
