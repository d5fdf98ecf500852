#!/usr/bin/env bash
# Prints a staff token for the locally running app (scripts/run.sh), for one or more roles:
#   scripts/token.sh Participa.Moderator [Participa.CongressStaff ...]
# Roles: Participa.Admin, Participa.Moderator, Participa.CongressStaff, Participa.Facilitator.
# Use it as: curl -H "Authorization: Bearer $(scripts/token.sh Participa.Moderator)" ...
# Works only against a Development app, which signs tokens with a key it made at start-up (valid until it stops).
set -euo pipefail
URL="${PARTICIPA_URL:-http://127.0.0.1:7071}"
query=""
for role in "${@:-Participa.Admin}"; do query+="${query:+&}role=$role"; done
curl -fsS -X POST "$URL/dev/token?$query" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
