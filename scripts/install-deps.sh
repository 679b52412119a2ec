#!/usr/bin/env bash
# Installs what building, running and testing WeaverGen needs on a Debian machine, and nothing that is
# already there: a second run only checks and returns within a second or two.
#
#   1. npm packages of the project (`npm ci` on a fresh clone),
#   2. Debian packages: chromium (the browser the end-to-end tests drive), libkrb5-dev and pkg-config
#      (code-server's kerberos module compiles against gssapi), ripgrep (see 3.),
#   3. code-server 4.100.3 (a real VS Code 1.100.3 that runs in a browser: the newest one that accepts
#      Node 20) into a tools folder outside the repository, by default ~/.cache/weavergen/code-server.
#
# Environment:
#   WEAVERGEN_TOOLS_DIR   where tools go (default: ${XDG_CACHE_HOME:-$HOME/.cache}/weavergen)
#   WEAVERGEN_SKIP_NPM=1  leave the project's node_modules alone (used by tests of this script)
#
# Prints the path of the code-server executable on its last line when run with --print-code-server.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
# code-server 4.100.3 depends on @vscode/ripgrep 1.15.11, whose postinstall downloads this exact
# prebuilt archive from GitHub unless it already sits in its cache folder (GitHub is unreachable here).
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${WEAVERGEN_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/weavergen}"
code_server_dir="$tools_dir/code-server-$CODE_SERVER_VERSION"
code_server_bin="$code_server_dir/node_modules/.bin/code-server"
code_server_marker="$code_server_dir/.weavergen-installed"

print_path=0
for arg in "$@"; do
  case "$arg" in
    --print-code-server) print_path=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "install-deps: unknown argument '$arg' (known: --print-code-server)" >&2; exit 2 ;;
  esac
done

say() { echo "[install-deps] $*" >&2; }

# --- 1. the project's npm packages -------------------------------------------------------------------
install_npm_packages() {
  if [[ "${WEAVERGEN_SKIP_NPM:-0}" == "1" ]]; then
    say "npm packages: skipped (WEAVERGEN_SKIP_NPM=1)"
    return
  fi
  local hidden_lock="$repo_root/node_modules/.package-lock.json"
  if [[ ! -d "$repo_root/node_modules" ]]; then
    if [[ -f "$repo_root/package-lock.json" ]]; then
      say "npm packages: node_modules is absent -> npm ci"
      (cd "$repo_root" && npm ci --no-audit --no-fund)
    else
      say "npm packages: no package-lock.json -> npm install"
      (cd "$repo_root" && npm install --no-audit --no-fund)
    fi
  elif [[ ! -f "$hidden_lock" || "$repo_root/package-lock.json" -nt "$hidden_lock" || "$repo_root/package.json" -nt "$hidden_lock" ]]; then
    # npm rewrites node_modules/.package-lock.json after every install: older than the lock file means
    # someone changed the dependencies since. `npm install` syncs without wiping the folder first.
    say "npm packages: package-lock.json changed since the last install -> npm install"
    (cd "$repo_root" && npm install --no-audit --no-fund)
  else
    say "npm packages: up to date"
  fi
}

# --- 2. Debian packages ------------------------------------------------------------------------------
install_debian_packages() {
  local wanted=(chromium libkrb5-dev pkg-config ripgrep)
  local missing=()
  local pkg
  for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    say "Debian packages: ${wanted[*]} present"
    return
  fi
  local sudo=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      say "Debian packages missing: ${missing[*]}; run as root or install them: apt-get install ${missing[*]}"
      exit 1
    fi
  fi
  say "Debian packages: installing ${missing[*]} (apt-get update first)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# --- 3. code-server ----------------------------------------------------------------------------------
install_code_server() {
  if [[ -f "$code_server_marker" && -x "$code_server_bin" ]]; then
    say "code-server $CODE_SERVER_VERSION: present in $code_server_dir"
    return
  fi
  # A folder without the marker is a half-finished install: start over.
  rm -rf "$code_server_dir"
  mkdir -p "$code_server_dir"
  local install_tmp="$tools_dir/tmp"
  rm -rf "$install_tmp"
  mkdir -p "$install_tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION" "$install_tmp/rg"
  local rg
  rg="$(command -v rg)"
  cp "$rg" "$install_tmp/rg/rg"
  tar -czf "$install_tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ARCHIVE" -C "$install_tmp/rg" rg
  # Native modules (argon2, node-pty, kerberos) compile when no prebuilt binary can be fetched, and
  # node-gyp downloads Node's headers from nodejs.org unless told where they are: use the headers
  # that came with this Node (Debian/NodeSource packages put them in /usr/include/node).
  local node_prefix nodedir_env=()
  node_prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [[ -f "$node_prefix/include/node/node_version.h" ]]; then
    nodedir_env=("npm_config_nodedir=$node_prefix")
  else
    say "code-server: no Node headers under $node_prefix/include/node; node-gyp will try to download them"
  fi
  say "code-server $CODE_SERVER_VERSION: installing into $code_server_dir (~40 s, ~300 MB; ripgrep from $rg)"
  # unsafe_perm: code-server's postinstall refuses to run as root otherwise.
  # yes: node-pty's postinstall runs `npx node-gyp`, which would stop to ask.
  # TMPDIR: where @vscode/ripgrep looks for its download cache (seeded above).
  # A package.json of its own makes the folder an npm project, so npm installs into it from inside.
  # (`--prefix` would also move npm's global config to <prefix>/etc/npmrc and lose the machine's
  # settings there, such as its CA file.)
  printf '{\n  "private": true,\n  "description": "code-server for WeaverGen (scripts/install-deps.sh)"\n}\n' \
    >"$code_server_dir/package.json"
  (
    cd "$code_server_dir"
    env "${nodedir_env[@]}" TMPDIR="$install_tmp" npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  if [[ ! -x "$code_server_bin" ]]; then
    say "code-server: npm finished but $code_server_bin is missing; see the npm output above"
    exit 1
  fi
  "$code_server_bin" --version >/dev/null
  echo "$CODE_SERVER_VERSION" >"$code_server_marker"
  rm -rf "$install_tmp"
  say "code-server $CODE_SERVER_VERSION: installed"
}

install_npm_packages
install_debian_packages
install_code_server

if [[ $print_path -eq 1 ]]; then
  echo "$code_server_bin"
fi
