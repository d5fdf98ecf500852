#!/usr/bin/env node
// Starts Azurite with the given arguments and stops it when this process's stdin closes, so an emulator started by
// a test run or the run script never outlives it, even when that parent is killed. Stopping goes through Azurite's
// own SIGINT shutdown, which saves its data (--location): exiting at once would lose the last seconds before its
// 5 s autosave.
function stop() {
  process.emit("SIGINT");
  setTimeout(() => process.exit(0), 10000).unref();
}
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.argv = [process.argv[0], "azurite", ...process.argv.slice(2)];
require("../node_modules/azurite/dist/src/azurite.js");
