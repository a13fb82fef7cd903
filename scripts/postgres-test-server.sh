#!/usr/bin/env bash
# A throw-away PostgreSQL server for the registry tests: data directory in a temp folder, listening
# on 127.0.0.1 only, on a free port, trust authentication, durability off (tests only).
#
#   eval "$(scripts/postgres-test-server.sh start)"    # exports JITSUIN_TEST_POSTGRES_URL / _DATA
#   scripts/postgres-test-server.sh stop "$JITSUIN_TEST_POSTGRES_DATA"
#
# Installs Debian's postgresql package when no server binaries are found (needs root).
# Standard output carries only the export lines; progress goes to standard error.
set -euo pipefail

log() { echo "postgres-test-server: $*" >&2; }

find_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then
        echo "$dir"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

# run a command as the unprivileged server owner (PostgreSQL refuses to run as root)
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bindir datadir port url
    bindir=$(find_bindir)
    if [[ -z "$bindir" ]]; then
        if [[ $(id -u) -ne 0 ]]; then
            log "no PostgreSQL server binaries found and not root: install the 'postgresql' package"
            exit 1
        fi
        log "installing Debian's postgresql package"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
        bindir=$(find_bindir)
    fi
    [[ -n "$bindir" ]] || { log "PostgreSQL binaries still missing"; exit 1; }
    if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    fi

    datadir=$(mktemp -d "${TMPDIR:-/tmp}/jitsuin-pg.XXXXXX")
    chmod 700 "$datadir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$datadir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

    log "initdb in $datadir"
    as_owner "$bindir/initdb" -D "$datadir/data" --username=jitsuin --auth=trust --encoding=UTF8 \
        --no-locale >"$datadir/initdb.log" 2>&1 || { cat "$datadir/initdb.log" >&2; exit 1; }
    log "starting on 127.0.0.1:$port"
    as_owner "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >&2 || { cat "$datadir/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U jitsuin jitsuin_test >&2

    url="postgresql://jitsuin@127.0.0.1:$port/jitsuin_test"
    echo "export JITSUIN_TEST_POSTGRES_URL=$url"
    echo "export JITSUIN_TEST_POSTGRES_DATA=$datadir"
}

stop() {
    local datadir=${1:-${JITSUIN_TEST_POSTGRES_DATA:-}} bindir
    [[ -n "$datadir" && -d "$datadir/data" ]] || { log "usage: $0 stop DATADIR"; exit 1; }
    bindir=$(find_bindir)
    as_owner "$bindir/pg_ctl" -D "$datadir/data" -m immediate -w stop >&2 || true
    rm -rf "$datadir"
}

case "${1:-start}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) log "usage: $0 start | stop DATADIR"; exit 2 ;;
esac
