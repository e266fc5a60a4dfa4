#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) under .vscode-test/ for the extension-host and
# end-to-end tests, from the npm registry with native modules built locally and Debian's ripgrep
# (no binary downloads), following shared/recipes/real-vscode-and-prometheus.md. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=.vscode-test/code-server
VSCODE="$DIR/node_modules/code-server/lib/vscode"
if [ -x "$DIR/node_modules/.bin/code-server" ] && [ -e "$VSCODE/node_modules.asar" ] && [ -e "$DIR/.ready" ]; then
  echo "code-server already set up in $DIR"
  exit 0
fi

packages=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q > /dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" > /dev/null
fi

mkdir -p "$DIR"
# Its own package.json, so that npm installs here and not into the project.
[ -f "$DIR/package.json" ] || echo '{"name":"code-server-for-tests","private":true}' > "$DIR/package.json"
(cd "$DIR" && npm install --no-audit --no-fund --ignore-scripts code-server@4.100.3)
(
  cd "$VSCODE"
  npm install --unsafe-perm --omit=dev --ignore-scripts --no-audit --no-fund
  mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild --unsafe-perm
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  (cd extensions && npm_config_yes=true npm install --unsafe-perm --omit=dev --no-audit --no-fund)
)
(cd "$DIR" && npm_config_yes=true npm rebuild argon2)
touch "$DIR/.ready"
echo "code-server set up in $DIR"
