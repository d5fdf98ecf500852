#!/usr/bin/env bash
# Starts the platform locally: Azurite (data kept in .data/azurite) and the function app with the sample processes.
# With Azure Functions Core Tools installed it runs `func start`; without them (as on the project's machines) the local
# Functions host (tools/Participa.LocalHost, a development tool) plays the host's part. Ctrl-C stops everything and
# keeps the data. Environment: PARTICIPA_PORT (default 7071).
source "$(dirname "$0")/lib.sh"
ensure_node_modules

PORT="${PARTICIPA_PORT:-7071}"
URL="http://127.0.0.1:$PORT"
DATA="$ROOT/.data/azurite"
LOG="$ROOT/.data/azurite.log"
APP="$ROOT/functions/Participa.Api/bin/Debug/net10.0"
HOST="$ROOT/tools/Participa.LocalHost/bin/Debug/net10.0/Participa.LocalHost.dll"
mkdir -p "$DATA"

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "Port $PORT is already in use (another Participa, or func start?). Stop it, or choose another: PARTICIPA_PORT=7072 scripts/run.sh" >&2
  exit 2
fi

# Build only when a source is newer than the last build: a no-op build still costs seconds.
STAMP="$ROOT/.data/build.stamp"
if [ ! -f "$STAMP" ] || [ ! -f "$APP/functions.metadata" ] || [ ! -f "$HOST" ] || \
   [ -n "$(find functions tools Directory.Build.props Directory.Packages.props host.json \
            \( -name bin -o -name obj \) -prune -o -type f -newer "$STAMP" -print -quit)" ]; then
  echo "Building..."
  dotnet build functions/Participa.Api --nologo -v quiet -clp:ErrorsOnly
  dotnet build tools/Participa.LocalHost --nologo -v quiet -clp:ErrorsOnly
  touch "$STAMP"
fi

# Free ports every time, read back from Azurite's output: nothing assumes 10000-10002 are free.
# stdin from a pipe this script holds open: if the script dies, Azurite goes with it (and saves its data first).
: >"$LOG"
exec 3> >(exec node scripts/azurite.js --silent --disableTelemetry --skipApiVersionCheck --location "$DATA" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 0 --queuePort 0 --tablePort 0 >>"$LOG" 2>&1)
AZURITE_PID=$!
APP_PID=

stop() {
  trap - INT TERM EXIT
  if [ -n "$APP_PID" ]; then kill -TERM "$APP_PID" 2>/dev/null; wait "$APP_PID" 2>/dev/null; fi
  exec 3>&-   # closing its stdin makes Azurite save and stop
  for _ in $(seq 1 100); do kill -0 "$AZURITE_PID" 2>/dev/null || break; sleep 0.1; done
  echo "Stopped; data kept in $DATA."
}
trap stop INT TERM EXIT

port_of() { sed -n "s/.*$1 service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p" "$LOG" | head -n1; }
for _ in $(seq 1 100); do
  [ -n "$(port_of Table)" ] && [ -n "$(port_of Blob)" ] && break
  sleep 0.2
done
[ -n "$(port_of Blob)" ] || { echo "Azurite did not start; see $LOG" >&2; exit 1; }
BLOB="http://127.0.0.1:$(port_of Blob)/devstoreaccount1"
TABLE="http://127.0.0.1:$(port_of Table)/devstoreaccount1"

export ParticipaStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=$BLOB;TableEndpoint=$TABLE;"
export AzureWebJobsStorage="$ParticipaStorage"
export AZURE_FUNCTIONS_ENVIRONMENT=Development
export Participa__SeedSampleData=true
# Staff tokens from scripts/token.sh stay valid across restarts: the local issuer's key is kept here.
export Participa__LocalIssuerKeyFile="$ROOT/.data/local-issuer.pem"
export PublishStatisticsSchedule="0 */5 * * * *"
export RecomputeStatisticsSchedule="0 0 9 * * *"
export BackupSchedule="0 0 8 * * *"
# Locally a manual timer run should see what was just submitted (in Azure the timer waits 60 s for in-flight writes).
export Statistics__SettleSeconds=5

if command -v func >/dev/null 2>&1; then
  (cd functions/Participa.Api && [ -f local.settings.json ] || cp local.settings.example.json local.settings.json)
  (cd functions/Participa.Api && exec func start --port "$PORT") &
else
  dotnet "$HOST" --app "$APP" --port "$PORT" &
fi
APP_PID=$!

ready=
for _ in $(seq 1 150); do
  kill -0 "$APP_PID" 2>/dev/null || break
  if curl -fs "$URL/api/processes" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "The app did not start; see the messages above." >&2
  exit 1
fi
cat <<INFO

Participa is running (Ctrl-C stops it; data is kept).
  Web pages        $URL/
  API              $URL/api/processes
  API reference    $URL/api/docs
  Sample process   $URL/api/processes/pan5-cocreacion/proposals
  Published data   $URL/api/open-data/processes/pan5-cocreacion/statistics.json
                   (written by the PublishStatistics timer every 5 minutes; run it now with:
                    curl -X POST $URL/admin/functions/PublishStatistics)
  Staff token      scripts/token.sh Participa.Moderator
  Storage data     $DATA

INFO
wait "$APP_PID"
