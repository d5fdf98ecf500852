#!/usr/bin/env bash
# Builds and runs every test. Tests that need storage start their own Azurite on free ports; browser tests drive
# Debian's chromium, installed here when missing.
# Extra arguments go to dotnet test, e.g. scripts/test.sh --filter "FullyQualifiedName~Proposals".
# scripts/test.sh --long runs only the long part instead (TESTING.md): the fault tests, 10,000 generated hostile
# requests and the soak, with their figures printed.
source "$(dirname "$0")/lib.sh"
args=()
if [ "${1:-}" = "--long" ]; then
  shift
  export PARTICIPA_LONG_TESTS=1
  args=(--filter "FullyQualifiedName~Participa.Tests.Faults|FullyQualifiedName~Participa.Tests.Hostile" --logger "console;verbosity=detailed")
fi
ensure_node_modules
ensure_chromium

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test Participa.sln --nologo "${args[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over every test project: "N passed, N failed, N skipped".
awk '/(Passed|Failed)! +- Failed:/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
