#!/usr/bin/env bash
# Commit-to-publish latency of the outbox at fixed rates (dev.huddle.bench.OutboxLatencyBench): builds
# realtime-bridge and the bench driver, then runs the real realtime-bridge against PostgreSQL with Centrifugo's API
# stood in for, and prints a Markdown table.
#   bench/outbox/latency.sh                 # starts a throwaway durable PostgreSQL 15 (as root)
#   BENCH_PG_URL=postgresql://... bench/outbox/latency.sh
# Env: RATES (default "50 1000"), DURATION_SECONDS (default 60), WARMUP_SECONDS, CHANNELS, WRITERS, REPLICAS (see the driver's javadoc).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
./mvnw -q -B package -DskipTests -pl realtime-bridge,bench -am
if [ -z "${BENCH_PG_URL:-}" ]; then
  source .ci/postgres.sh
  trap pg_stop EXIT
  PG_DURABLE=1 pg_start >&2
  export BENCH_PG_URL=$PG_ADMIN_URL
fi
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.huddle.bench.OutboxLatencyBench
