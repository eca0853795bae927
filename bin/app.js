#!/usr/bin/env node
// The cdktf "app" command: bundle main.ts (only when a source changed), then run it in this process.
const { appBundle } = require("./build");
require(appBundle());
