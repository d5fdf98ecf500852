#!/usr/bin/env bash
# The figures of issue 10's closing note: the custom handler as it was (d1bf0a9) against the isolated worker behind
# the local host, on the same in-memory Azurite, with the same load (load.js: valid opinions, 16 at a time, only 201s
# counted), alternating, in one run. Release builds. Usage: bench/worker-move/compare.sh [requests per round=3000]
# Issue 14's benchmark command supersedes it.
set -u
cd "$(dirname "$0")/../.."
N=${1:-3000}
OLD_DIR=$(mktemp -d)
git worktree add -q "$OLD_DIR/old" d1bf0a9
trap 'git worktree remove --force "$OLD_DIR/old"; rm -rf "$OLD_DIR"' EXIT
dotnet build "$OLD_DIR/old/functions/Participa.Api" -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build functions/Participa.Api -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tools/Participa.LocalHost -c Release --nologo -v quiet -clp:ErrorsOnly
LOG=$(mktemp -d)
: > $LOG/az.log
exec 3> >(exec node scripts/azurite.js --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 0 --queuePort 0 --tablePort 0 >> $LOG/az.log 2>&1)
for _ in $(seq 1 100); do grep -q "Table service is successfully" $LOG/az.log && grep -q "Blob service is successfully" $LOG/az.log && break; sleep 0.2; done
port_of() { sed -n "s/.*$1 service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p" $LOG/az.log | head -n1; }
KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export ParticipaStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$KEY;BlobEndpoint=http://127.0.0.1:$(port_of Blob)/devstoreaccount1;TableEndpoint=http://127.0.0.1:$(port_of Table)/devstoreaccount1;"
export RateLimits__RequestsPerMinute=100000000 RateLimits__PostsPerFiveMinutes=100000000 RateLimits__PostsPerProcessPerSecond=100000000
export Participa__SeedSampleData=true PublishStatisticsSchedule="0 */5 * * * *" RecomputeStatisticsSchedule="0 0 9 * * *"
now() { date +%s.%N; }
wait_ready() { until curl -fs -o /dev/null "$1/api/processes/iniciativa-5210"; do sleep 0.02; done; }

start_old() {
  local s=$(now)
  Participa__TablePrefix=old Participa__PublishedContainer=oldpub Participa__Urls=http://127.0.0.1:7501 Timers__RunLocally=false ASPNETCORE_ENVIRONMENT=Production \
    Logging__LogLevel__Default=Warning dotnet $OLD_DIR/old/functions/Participa.Api/bin/Release/net10.0/Participa.Api.dll > $LOG/old.log 2>&1 &
  OLD=$!
  until curl -fs -o /dev/null http://127.0.0.1:7501/api/processes; do sleep 0.02; done
  echo "old: process start to first answer $(echo "$(now) - $s" | bc) s"
  wait_ready http://127.0.0.1:7501
}
start_new() {
  local s=$(now)
  Participa__TablePrefix=new Participa__PublishedContainer=newpub AZURE_FUNCTIONS_ENVIRONMENT=Production \
    dotnet tools/Participa.LocalHost/bin/Release/net10.0/Participa.LocalHost.dll --app functions/Participa.Api/bin/Release/net10.0 --port 7502 --no-timers > $LOG/new.log 2>&1 &
  NEW=$!
  until curl -fs -o /dev/null http://127.0.0.1:7502/api/processes; do sleep 0.02; done
  echo "new: host process start to first answer $(echo "$(now) - $s" | bc) s"
  wait_ready http://127.0.0.1:7502
}
rss() { ps -o rss= -p "$1" | awk '{printf "%.0f MB", $1/1024}'; }
start_old; start_new
WORKER=$(pgrep -f "Participa.Api.dll --host" | head -1)
echo "idle RSS: old $(rss $OLD), worker $(rss $WORKER), local host $(rss $NEW)"
node bench/worker-move/load.js http://127.0.0.1:7501 iniciativa-5210 300 16 >/dev/null
node bench/worker-move/load.js http://127.0.0.1:7502 iniciativa-5210 300 16 >/dev/null
for round in 1 2 3; do
  echo "round $round old: $(node bench/worker-move/load.js http://127.0.0.1:7501 iniciativa-5210 $N 16)"
  echo "round $round new: $(node bench/worker-move/load.js http://127.0.0.1:7502 iniciativa-5210 $N 16)"
done
echo "after load RSS: old $(rss $OLD), worker $(rss $WORKER), local host $(rss $NEW)"
kill -TERM $OLD $NEW; wait $OLD $NEW 2>/dev/null
exec 3>&-
