#!/usr/bin/env bash
# Issue 14's benchmark (not part of the test run): one run on one in-memory Azurite, the real worker behind the local
# host, each figure next to the storage floor it is compared with. Prints a table; writes bench/results/<time>-<mode>.json.
# Usage: scripts/bench.sh [--quick] [--writes N] [--concurrency 1,16,64] [--burst N] [--thread N] [--sizes 10000,100000,1000000]
#                         [--campaign N] [--reads N] [--cold-starts N] [--out DIR] [--incremental-only-above N]
#        --quick: small sizes, a few minutes; the full run (the defaults) prints how long it took. Sizes above
#        --incremental-only-above (100000 in the full run) get only the incremental run: docs/scale.md.
# Sub-modes kept from before:
#        scripts/bench.sh campaigns [opinions=100000]     mass-campaign grouping, in memory and through storage
#        scripts/bench.sh statistics [items=100000]       statistics timers: full, incremental, idle, receipt proofs
#        scripts/bench.sh backup [submissions=20000]      nightly export (full, incremental) and restore
#        scripts/bench.sh bulk [rows=5000]                 one CSV upload of paper forms, then the same file again
#        scripts/bench.sh load [seconds=60] [concurrency=16]   steady opinion POSTs for a profiler (scripts/profile.sh)
#        scripts/bench.sh start [n=5]                      cold starts alone: process start to first answer
source "$(dirname "$0")/lib.sh"
ensure_node_modules
# The app measured is the deployable package (ReadyToRun, Linux x64), as Azure runs it; PARTICIPA_APP=DIR measures another.
if [[ -z "${PARTICIPA_APP:-}" ]]; then
  export PARTICIPA_APP="${TMPDIR:-/tmp}/participa-bench-app"
  echo "Publishing the app to $PARTICIPA_APP (scripts/publish.sh)..."
  bash "$(dirname "$0")/publish.sh" "$PARTICIPA_APP" >/dev/null
fi
dotnet run -c Release --project tests/Participa.Benchmarks -- "$@"
