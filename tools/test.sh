#!/usr/bin/env bash
# The whole test suite, twice: on SQLite (the embedded default), then on
# PostgreSQL in a fresh database that is dropped afterwards. Starts the S3
# server the object-storage tests use (SeaweedFS) unless one answers already.
#
# PostgreSQL: PICDESK_TEST_POSTGRES names a server and a database to connect
# to for CREATE DATABASE (default postgres://postgres@127.0.0.1:5432/postgres).
# Where none answers, the second run is skipped with a message, except in CI
# (CI=true), where that fails. Redis (PICDESK_TEST_REDIS_URL) likewise.
# Arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python

# The SeaweedFS this script starts, it stops (with its folder) however it ends.
seaweedfs=""
stop_seaweedfs() {
    if [ -n "$seaweedfs" ] && [ -f "$seaweedfs/weed.pid" ]; then
        pid="$(cat "$seaweedfs/weed.pid")"
        kill "$pid" 2>/dev/null || true
        # weed mini may take many seconds to stop, or never: 15 s, then SIGKILL.
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
        rm -rf "$seaweedfs"
    fi
}
trap stop_seaweedfs EXIT
if ! curl -s -o /dev/null "${PICDESK_TEST_S3_ENDPOINT:-http://127.0.0.1:8333}/"; then
    if started="$(tools/seaweedfs.sh)"; then
        echo "$started"
        seaweedfs="$(sed -n 's/.*(data and log in \(.*\))$/\1/p' <<<"$started")"
    elif [ -n "${CI:-}" ]; then
        exit 1
    fi
fi

echo "== the suite on SQLite"
sqlite_status=0
"$python" -m pytest "$@" || sqlite_status=$?

admin="${PICDESK_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
name="picdesk_tests_$$"
if ! "$python" - "$admin" <<'PY' 2>/dev/null; then
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
    if [ -n "${CI:-}" ]; then
        echo "PostgreSQL does not answer at $admin; CI runs the suite on it too" >&2
        exit 1
    fi
    echo "== PostgreSQL does not answer at $admin: the suite ran on SQLite only"
    exit "$sqlite_status"
fi

"$python" - "$admin" "$name" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as db:
    db.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
drop() {
    "$python" - "$admin" "$name" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as db:
    for (test_db,) in db.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"%{sys.argv[2]}%"]):
        db.execute(f'DROP DATABASE IF EXISTS "{test_db}" WITH (FORCE)')
PY
}
trap 'drop; stop_seaweedfs' EXIT

echo "== the suite on PostgreSQL (database $name)"
postgres_status=0
DATABASE_URL="${admin%/*}/$name" "$python" -m pytest "$@" || postgres_status=$?
exit $(( sqlite_status != 0 ? sqlite_status : postgres_status ))
