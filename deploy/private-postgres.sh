# shellcheck shell=bash
# A private, throwaway PostgreSQL for the scripts that need one (deploy/smoke.sh, src/bench/run.sh):
# Debian's binaries, run as the postgres user (they refuse root), listening on 127.0.0.1 only, with
# the database "likes" of the user "likes", trusted. Source this file, then:
#
#   private_postgres_start DIR PORT [-c name=value ...]   initdb into DIR/pg, start, create the database
#   private_postgres_stop DIR                              stop at once (for a cleanup trap)
#
# The server logs to DIR/pg.log. private_postgres_bin sets PG_BIN to PostgreSQL PG_MAJOR's bin
# directory (source this file before installing it: nothing runs until called).

# The project's one PostgreSQL major (the pom's postgresql.version; PostgresMajorTest keeps them equal).
PG_MAJOR=15

private_postgres_bin() {
  PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
  [ -x "$PG_BIN/postgres" ] || { echo "no PostgreSQL $PG_MAJOR under /usr/lib/postgresql (apt-get install postgresql-$PG_MAJOR)" >&2; return 1; }
}

private_postgres_start() {
  local dir=$1 port=$2
  shift 2
  private_postgres_bin || return 1
  mkdir -p "$dir/pg" && chown postgres "$dir" "$dir/pg" || return 1
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/pg" -U likes --auth=trust >/dev/null || { echo "initdb failed" >&2; return 1; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pg" -l "$dir/pg.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" start >/dev/null || { echo "PostgreSQL did not start" >&2; return 1; }
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U likes likes || { echo "createdb failed" >&2; return 1; }
}

private_postgres_stop() {
  [ -f "$1/pg/postmaster.pid" ] && private_postgres_bin 2>/dev/null \
    && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1/pg" -m immediate stop >/dev/null 2>&1
  return 0
}
