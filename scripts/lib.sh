# Shared by the scripts: repository root, and npm packages installed when the lock file changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ensure_node_modules() {
  command -v node >/dev/null || { echo "Node.js is required (for Azurite): install nodejs and npm." >&2; exit 1; }
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json .data/installed-package-lock.json 2>/dev/null; then
    echo "Installing Azurite (npm ci)..."
    npm ci --no-audit --no-fund --loglevel=error
    mkdir -p .data && cp package-lock.json .data/installed-package-lock.json
  fi
}

# The well-known Azurite development account (public, documented by Microsoft; not a secret).
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
