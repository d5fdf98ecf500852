#!/usr/bin/env bash
# Profiles the worker under steady opinion POSTs (not part of the test run): CPU samples with dotnet-trace and the
# runtime's counters with dotnet-counters, both from NuGet as .NET tools.
# Usage: scripts/profile.sh [seconds=40] [concurrency=16]   writes bench/profile/{trace.nettrace,trace.speedscope.json,counters.csv,top.txt} (dotnet-trace names it *.speedscope.json)
source "$(dirname "$0")/lib.sh"
ensure_node_modules
SECONDS_TO_RUN="${1:-40}"; CONCURRENCY="${2:-16}"
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace --version 10.0.750501
command -v dotnet-counters >/dev/null || dotnet tool install -g dotnet-counters --version 10.0.750501
OUT=bench/profile; mkdir -p "$OUT"
dotnet build -c Release tests/Participa.Benchmarks -v q -nologo >/dev/null
dotnet tests/Participa.Benchmarks/bin/Release/net10.0/Participa.Benchmarks.dll load "$((SECONDS_TO_RUN + 15))" "$CONCURRENCY" > "$OUT/load.log" 2>&1 &
LOAD=$!
until grep -q WORKER_PID "$OUT/load.log"; do sleep 1; kill -0 $LOAD 2>/dev/null || { cat "$OUT/load.log"; exit 1; }; done
PID=$(grep -o 'WORKER_PID=[0-9]*' "$OUT/load.log" | cut -d= -f2)
HALF=$((SECONDS_TO_RUN / 2))
dotnet-counters collect -p "$PID" --format csv -o "$OUT/counters.csv" --duration "00:00:$(printf %02d "$HALF")" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,System.Net.Http >/dev/null
dotnet-trace collect -p "$PID" --profile dotnet-sampled-thread-time --duration "00:00:$(printf %02d "$HALF")" -o "$OUT/trace.nettrace" >/dev/null
dotnet-trace convert "$OUT/trace.nettrace" --format speedscope -o "$OUT/trace.json" >/dev/null
wait $LOAD
cat "$OUT/load.log"
python3 "$(dirname "$0")/speedscope-top.py" "$OUT/trace.speedscope.json" | tee "$OUT/top.txt"
