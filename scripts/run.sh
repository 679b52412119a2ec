#!/usr/bin/env bash
# The README's run command: a real VS Code (code-server, in your browser) with WeaverGen installed,
# opened on the bundled example registry (or on FOLDER).
#
#   bash scripts/run.sh [FOLDER]
#
# Installs what is missing (scripts/install-deps.sh), builds and packages the extension, installs the
# .vsix into a VS Code profile kept under the tools folder, then serves VS Code on 127.0.0.1 only and
# prints the URL. Workspace trust stays on: VS Code asks whether you trust the folder. Ctrl-C stops it.
#
# Environment: WEAVERGEN_PORT (default: 8080 if free, else any free port), WEAVERGEN_TOOLS_DIR.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

folder="${1:-$repo_root/examples/registry}"
if [[ ! -d "$folder" ]]; then
  echo "run: $folder is not a folder; give a registry folder, or none for examples/registry" >&2
  exit 2
fi
folder="$(cd "$folder" && pwd)"

code_server="$(bash scripts/install-deps.sh --print-code-server | tail -n 1)"

echo "[run] building and packaging the extension (npm run package)"
rm -f dist/weavergen.vsix
npm run package

tools_dir="${WEAVERGEN_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/weavergen}"
profile="$tools_dir/run-profile"
mkdir -p "$profile/user-data/User" "$profile/extensions" "$profile/xdg-data" "$profile/xdg-config" "$profile/tmp"
settings="$profile/user-data/User/settings.json"
if [[ ! -f "$settings" ]]; then
  # First run only: later the file is the user's own.
  cat >"$settings" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off"
}
JSON
fi
config="$profile/config.yaml"
printf 'auth: none\ncert: false\n' >"$config"

# code-server writes under XDG folders and TMPDIR: keep all of it inside the profile.
export XDG_DATA_HOME="$profile/xdg-data" XDG_CONFIG_HOME="$profile/xdg-config" TMPDIR="$profile/tmp"
common=(--config "$config" --user-data-dir "$profile/user-data" --extensions-dir "$profile/extensions")

echo "[run] installing dist/weavergen.vsix into $profile/extensions"
"$code_server" "${common[@]}" --force --install-extension "$repo_root/dist/weavergen.vsix"

port_free() {
  node -e '
    const s = require("net").createServer();
    s.once("error", () => process.exit(1));
    s.listen(Number(process.argv[1]), "127.0.0.1", () => s.close(() => process.exit(0)));
  ' "$1"
}
port="${WEAVERGEN_PORT:-}"
if [[ -z "$port" ]]; then
  if port_free 8080; then
    port=8080
  else
    port="$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
  fi
fi

url="http://127.0.0.1:$port/?folder=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]).replace(/%2F/g, "/"))' "$folder")"
echo
echo "[run] WeaverGen in VS Code: $url"
echo "[run] open it in a browser on this machine; Ctrl-C stops the server"
echo

exec "$code_server" "${common[@]}" --bind-addr "127.0.0.1:$port" --auth none \
  --disable-telemetry --disable-update-check --disable-getting-started-override "$folder"
