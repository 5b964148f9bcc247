#!/bin/sh
# Runs stapc on a script probing PostgreSQL 15's SDT markers while N
# queries go to a throw-away cluster:
#
#   pg-query-latency.sh SCRIPT N OUT
#
# The cluster lives in a fresh temporary directory owned by the postgres
# user and listens on a unix socket there only (no TCP). Every step has a
# timeout; the cluster, the tracer and the directory are removed however
# the script ends. SCRIPT's output goes to OUT.
set -eu
script=$1 n=$2 out=$3
bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/stapc-pg.XXXXXX)
tracer=
cleanup() {
  [ -z "$tracer" ] || kill -INT "$tracer" 2>/dev/null || true
  timeout 30 runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate \
    stop >/dev/null 2>&1 || true
  [ -z "$tracer" ] || { sleep 1; kill -KILL "$tracer" 2>/dev/null || true; }
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chown postgres "$dir"
log() { echo "pg-query-latency: $*" >&2; }
as_pg="runuser -u postgres --"

timeout 120 $as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
timeout 120 $as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 100 -l "$dir/server.log" \
  -o "-c listen_addresses='' -k $dir -c fsync=off" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }
psql() { timeout 60 $as_pg /usr/bin/psql -X -q -At -h "$dir" -U postgres -d postgres "$@"; }

# The tracer (-T: it ends by itself should everything below hang).
stapc -T 240 "$script" >"$out" 2>"$dir/stapc.err" &
tracer=$!
# Probes are attached once a warm-up query is seen.
tries=0
until grep -q attached "$out"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ] || ! kill -0 "$tracer" 2>/dev/null; then
    log "the tracer did not see a query"; cat "$dir/stapc.err" >&2; exit 1
  fi
  psql -c "select 'stapc-warmup'" >/dev/null
  sleep 0.5
done

i=0
: >"$dir/queries.sql"
while [ "$i" -lt "$n" ]; do
  i=$((i + 1))
  echo "select 'stapc-query', $i, pg_sleep(0.00$((i % 3)));" >>"$dir/queries.sql"
done
psql -f "$dir/queries.sql" >/dev/null
log "sent $n queries"

timeout 60 $as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 50 -m fast stop >/dev/null
kill -INT "$tracer"
status=0
wait "$tracer" || status=$?
tracer=
cat "$dir/stapc.err" >&2
exit "$status"
