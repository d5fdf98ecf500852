#!/usr/bin/env bash
# Builds the deployable function app: the isolated worker published (framework-dependent; the Functions runtime
# provides .NET 10), with host.json, functions.metadata (every function, written by the Worker SDK from the [Function]
# attributes), worker.config.json and the extensions folder (.azurefunctions). The folder, zipped, is what Azure runs.
# Usage: scripts/publish.sh [OUTPUT_DIR]   (default artifacts/publish; also writes OUTPUT_DIR.zip for zip deploy)
source "$(dirname "$0")/lib.sh"
OUT="$(realpath -m "${1:-artifacts/publish}")"

rm -rf "$OUT" "$OUT.zip"
dotnet publish functions/Participa.Api -c Release -o "$OUT" --nologo -v quiet -clp:ErrorsOnly \
  -p:DebugType=none -p:GenerateDocumentationFile=false

# Zip the folder's contents (dot folders included) for zip deploy / azd.
python3 - "$OUT" <<'PY'
import os, sys, zipfile
root = sys.argv[1]
with zipfile.ZipFile(root + ".zip", "w", zipfile.ZIP_DEFLATED) as z:
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(folder, name)
            z.write(path, os.path.relpath(path, root))
PY
count=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$OUT/functions.metadata")
echo "Published $count functions to $OUT (and $OUT.zip)"
