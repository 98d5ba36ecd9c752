#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster with pg_cron on a free loopback port, for tests.
#   source .ci/postgres.sh && pg_start   -> exports PG_ADMIN_URL, PG_CI_DIR (PG_DURABLE=1: fsync and
#                                           synchronous commit on, as in production, for benchmarks)
#   pg_stop                              -> stops the cluster and deletes its folder
# Installs postgresql-15 and postgresql-15-cron from Debian's packages when missing. Runs the server as the
# 'postgres' system user (PostgreSQL refuses root).

PG_BIN=/usr/lib/postgresql/15/bin

pg_install() {
  if [ -x "$PG_BIN/postgres" ] && [ -f /usr/lib/postgresql/15/lib/pg_cron.so ] && id postgres >/dev/null 2>&1; then
    return 0
  fi
  echo "installing postgresql-15 and postgresql-15-cron"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-15-cron >/dev/null
}

pg_free_port() {
  local port
  for port in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port in 55432-55532" >&2
  return 1
}

pg_start() {
  pg_install
  PG_CI_DIR=$(mktemp -d /tmp/huddle-pg.XXXXXX)
  chown postgres: "$PG_CI_DIR"
  local port password
  port=$(pg_free_port)
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" > "$PG_CI_DIR/pwfile"
  chown postgres: "$PG_CI_DIR/pwfile"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_CI_DIR/data" -U postgres --pwfile="$PG_CI_DIR/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$PG_CI_DIR/pwfile"
  cat >> "$PG_CI_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_CI_DIR'
max_connections = 300
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
# pg_cron runs jobs in background workers, not through a password-checked loopback login
cron.use_background_workers = on
max_worker_processes = 24
CONF
  # tests trade durability for speed; benchmarks (PG_DURABLE=1) keep PostgreSQL's defaults
  if [ "${PG_DURABLE:-0}" != 1 ]; then
    printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >> "$PG_CI_DIR/data/postgresql.conf"
  fi
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/server.log" -w -t 60 start >/dev/null
  export PG_ADMIN_URL="postgresql://postgres:${password}@127.0.0.1:${port}/postgres"
  export PG_CI_DIR
  echo "PostgreSQL 15 with pg_cron on 127.0.0.1:$port (data in $PG_CI_DIR)"
}

pg_stop() {
  if [ -n "${PG_CI_DIR:-}" ] && [ -d "$PG_CI_DIR/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_CI_DIR"
  fi
}
