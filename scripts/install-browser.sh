#!/bin/sh
# Install the browser the wallet's end-to-end tests drive: Debian's chromium (Playwright is pointed at
# /usr/bin/chromium; no browser is downloaded at test time) and a Japanese font so pages render in CJK.
# Idempotent: does nothing when both are present. Needs root (or sudo) for apt-get.
set -eu

need=""
[ -x /usr/bin/chromium ] || need="$need chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$need fonts-noto-cjk"

if [ -z "$need" ]; then
    echo "install-browser: chromium and fonts-noto-cjk already present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-browser: need root to install:$need" >&2
        exit 1
    fi
fi

echo "install-browser: installing$need"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need
/usr/bin/chromium --version
