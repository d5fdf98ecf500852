#!/usr/bin/env bash
# Starts the platform locally: Azurite (data kept in .data/azurite) and the app with the sample process.
# Ctrl-C stops both. A second run keeps the data.
source "$(dirname "$0")/lib.sh"
ensure_node_modules

URL="${PARTICIPA_URL:-http://127.0.0.1:7071}"
DATA="$ROOT/.data/azurite"
mkdir -p "$DATA"
LOG="$ROOT/.data/azurite.log"

echo "Building..."
dotnet build functions/Participa.Api --nologo -v quiet -clp:ErrorsOnly

# Free ports every time, read back from Azurite's output: nothing assumes 10000-10002 are free.
# stdin from a pipe this script holds open: if the script dies, Azurite goes with it.
exec 3> >(node scripts/azurite.js --silent --disableTelemetry --skipApiVersionCheck --location "$DATA" \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 --blobPort 0 --queuePort 0 --tablePort 0 >"$LOG" 2>&1)
AZURITE_PID=$!
APP_PID=

stop() {
  trap - INT TERM EXIT
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  exec 3>&-   # closing stdin stops Azurite
  pkill -P "$AZURITE_PID" 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM EXIT

port_of() { sed -n "s/.*$1 service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p" "$LOG" | head -n1; }
for _ in $(seq 1 100); do
  [ -n "$(port_of Table)" ] && [ -n "$(port_of Blob)" ] && break
  sleep 0.2
done
BLOB="http://127.0.0.1:$(port_of Blob)/devstoreaccount1"
TABLE="http://127.0.0.1:$(port_of Table)/devstoreaccount1"
[ "$BLOB" != "http://127.0.0.1:/devstoreaccount1" ] || { echo "Azurite did not start; see $LOG" >&2; exit 1; }

export ParticipaStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=$BLOB;TableEndpoint=$TABLE;"
export Participa__SeedSampleData=true
export Participa__Urls="$URL"
export ASPNETCORE_ENVIRONMENT=Development
# Locally a manual timer run should see what was just submitted (in Azure the timer waits 60 s for in-flight writes).
export Statistics__SettleSeconds=5

dotnet functions/Participa.Api/bin/Debug/net10.0/Participa.Api.dll &
APP_PID=$!

for _ in $(seq 1 100); do curl -fs "$URL/" >/dev/null 2>&1 && break; sleep 0.2; done
cat <<INFO

Participa is running (Ctrl-C stops it).
  API              $URL/api/processes
  Sample process   $URL/api/processes/pan5-cocreacion/proposals
  Published data   $BLOB/published/processes/pan5-cocreacion/statistics.json
                   (written by the PublishStatistics timer every 5 minutes; run it now with:
                    curl -X POST $URL/PublishStatistics)
  Storage data     $DATA

INFO
wait "$APP_PID"
