#!/usr/bin/env node
// Starts Azurite with the given arguments and stops it when this process's stdin closes, so an emulator started by
// a test run or the run script never outlives it, even when that parent is killed.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
process.argv = [process.argv[0], "azurite", ...process.argv.slice(2)];
require("../node_modules/azurite/dist/src/azurite.js");
