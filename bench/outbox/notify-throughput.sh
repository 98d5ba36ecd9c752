#!/usr/bin/env bash
# Does NOTIFY on every commit limit outbox write throughput? Runs pgbench with the three append scripts beside this
# file at several client counts and prints a Markdown table of commits per second.
#   bench/outbox/notify-throughput.sh                 # starts a throwaway durable PostgreSQL 15 (as root)
#   BENCH_PG_URL=postgresql://... bench/outbox/notify-throughput.sh   # or uses an admin URL you give
# Env: CLIENTS (default "1 8 32"), SECONDS_EACH (default 15).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
clients=${CLIENTS:-"1 8 32"}
seconds=${SECONDS_EACH:-15}

if [ -z "${BENCH_PG_URL:-}" ]; then
  source "$root/.ci/postgres.sh"
  trap pg_stop EXIT
  PG_DURABLE=1 pg_start >&2
  BENCH_PG_URL=$PG_ADMIN_URL
fi
db="outbox_bench_$$"
"$PG_BIN/psql" -qX "$BENCH_PG_URL" -c "CREATE DATABASE $db" >/dev/null
url="${BENCH_PG_URL%/*}/$db"
cleanup_db() { "$PG_BIN/psql" -qX "$BENCH_PG_URL" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; }
trap 'cleanup_db; declare -F pg_stop >/dev/null && pg_stop || true' EXIT

# the realtime schema as the migrations make it (grants need the other roles, which are beside the point here)
"$PG_BIN/psql" -qX "$url" -c "CREATE SCHEMA realtime" >/dev/null
for f in "$root"/migrations/src/main/resources/db/realtime/V*.sql; do
  grep -v '^GRANT' "$f" | "$PG_BIN/psql" -qX -v ON_ERROR_STOP=1 "$url" >/dev/null
done

run() { # script clients -> commits/s
  "$PG_BIN/psql" -qX "$url" -c "TRUNCATE realtime.outbox" >/dev/null
  "$PG_BIN/pgbench" -n -f "$here/$1" -c "$2" -j 2 -T "$seconds" "$url" 2>/dev/null \
    | awk '/^tps/ {printf "%.0f", $3}'
}

echo "PostgreSQL: $("$PG_BIN/psql" -qXAt "$url" -c "SELECT current_setting('server_version') || ', fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')")"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); ${seconds}s per cell"
echo
echo "| clients | no NOTIFY | NOTIFY every commit | OutboxWriter, relay idle | OutboxWriter, relay busy |"
echo "|---:|---:|---:|---:|---:|"
for c in $clients; do
  plain=$(run append-plain.sql "$c")
  notify=$(run append-notify.sql "$c")
  "$PG_BIN/psql" -qX "$url" -c "DELETE FROM realtime.relay_replicas" >/dev/null
  idle=$(run append-writer.sql "$c")
  "$PG_BIN/psql" -qX "$url" -c "INSERT INTO realtime.relay_replicas (replica, busy_until) VALUES (gen_random_uuid(), now() + interval '1 hour')" >/dev/null
  busy=$(run append-writer.sql "$c")
  echo "| $c | $plain | $notify | $idle | $busy |"
done
