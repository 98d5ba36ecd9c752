#!/usr/bin/env bash
# Writes k8s/dev/secrets/*.env (git ignores them): random database passwords, Centrifugo's shared secrets and
# a session encryption key; outside accounts (WorkOS, Stripe, LiveKit, S3) stay empty, so those features say
# they are not configured. Files that exist are kept: run it again to add what is missing, delete one to renew.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p secrets
random() { head -c "${1:-24}" /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }
write() { # name, then KEY=VALUE lines on stdin
  if [ ! -f "secrets/$1.env" ]; then
    umask 077
    cat > "secrets/$1.env"
    echo "wrote k8s/dev/secrets/$1.env"
  fi
}
if [ ! -f secrets/postgres.env ]; then
  admin=$(random)
  printf 'POSTGRES_PASSWORD=%s\n' "$admin" | write postgres
  printf 'PG_ADMIN_URL=postgresql://postgres:%s@postgres:5432/huddle\n' "$admin" | write migrations
fi
api_key=$(random); hmac=$(random 48); proxy=$(random)
printf 'DB_PASSWORD=%s\nWORKOS_API_KEY=\nSESSION_ENCRYPTION_KEYS=k1:%s\nLIVEKIT_API_KEY=\nLIVEKIT_API_SECRET=\n' \
  "$(random)" "$(head -c 32 /dev/urandom | base64)" | write core-api
printf 'DB_PASSWORD=%s\nSTRIPE_API_KEY=\nSTRIPE_WEBHOOK_SECRET=\n' "$(random)" | write billing-service
printf 'DB_PASSWORD=%s\nCENTRIFUGO_API_KEY=%s\nCENTRIFUGO_TOKEN_HMAC_SECRET=%s\nCENTRIFUGO_PROXY_SECRET=%s\n' \
  "$(random)" "$api_key" "$hmac" "$proxy" | write realtime-bridge
printf 'DB_PASSWORD=%s\nLIVEKIT_API_KEY=\nLIVEKIT_API_SECRET=\nS3_ACCESS_KEY_ID=\nS3_SECRET_ACCESS_KEY=\n' "$(random)" \
  | write recordings-service
printf 'REDIS_ADDRESS=redis://redis:6379\n' | write centrifugo-redis
