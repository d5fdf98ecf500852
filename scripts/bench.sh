#!/usr/bin/env bash
# Prints figures for the participation core against the storage floor (not part of the test run).
# Usage: scripts/bench.sh [submissions=2000] [thread replies=10000]
#        scripts/bench.sh campaigns [opinions=100000]     mass-campaign grouping
#        scripts/bench.sh statistics [items=100000]       statistics timers: full, incremental, idle
#        scripts/bench.sh backup [submissions=20000]      nightly export (full, incremental) and restore
#        scripts/bench.sh bulk [rows=5000]                 one CSV upload of paper forms, then the same file again
source "$(dirname "$0")/lib.sh"
ensure_node_modules
dotnet run -c Release --project tests/Participa.Benchmarks -- "$@"
