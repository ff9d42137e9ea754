#!/usr/bin/env bash
# What the tests need beyond Python packages: Debian's chromium, fonts for every script, poppler (pdftotext),
# jing (TEI validation), Java and npm for the quality gates' tools (axe-core, vnu-jar: package.json, installed into node_modules/).
# Installs them with apt-get when run as root; otherwise says what to install.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v jing >/dev/null 2>&1 || missing+=(jing)  # validates `gloss export tei` against TEI's RELAX NG schema
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The browser tests need: ${missing[*]}. Install them, e.g. sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
# npm packages, exactly as package-lock.json says, again only when it changed. --ignore-scripts: vnu-jar's
# postinstall would download a Java runtime of its own; Debian's Java (above) runs the jar.
cd "$(dirname "$0")/.."
stamp=node_modules/.gloss-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  echo "installing the npm test tools (axe-core, vnu-jar) into node_modules/" >&2
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi
