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

# The browser tests drive Debian's chromium (never a downloaded browser: `playwright install` cannot reach its host).
ensure_chromium() {
  command -v chromium >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing chromium for the browser tests (apt-get)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need chromium: sudo apt-get install chromium" >&2
    exit 1
  fi
}
