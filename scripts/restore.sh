#!/usr/bin/env bash
# Rebuilds the app's tables from a backup into empty tables (tools/Participa.Restore; docs/deploy.md, "Restore").
# Usage: scripts/restore.sh --from BLOBS --to TABLES [--container backups] [--prefix P] [--run RUN_ID] [--list]
source "$(dirname "$0")/lib.sh"
dotnet run --project tools/Participa.Restore -c Release --nologo -v quiet -- "$@"
