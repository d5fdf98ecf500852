#!/usr/bin/env bash
# Builds and runs every test. Tests that need storage start their own Azurite on free ports.
source "$(dirname "$0")/lib.sh"
ensure_node_modules
dotnet test Participa.sln --logger "console;verbosity=normal" "$@"
