#!/usr/bin/env bash
# Stops services started by scripts/infra/up.sh. See usage().
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/infra/down.sh [--purge-data] [kafka] [mongo | mongo-java-server | ferretdb]

Stops the services that scripts/infra/up.sh started (no argument = both):
SIGTERM, up to ${STOP_TIMEOUT} s for a clean shutdown (STOP_TIMEOUT), then SIGKILL.
Only processes named by the pid files in $PID_DIR whose command line is still
ours are signalled; anything else on the ports is left alone.
\`mongo\` stops whichever MongoDB server up.sh started (mongo-java-server or
ferretdb, whatever MONGO_SERVER says); naming one stops only that one.

  --purge-data   also delete the stored data of the selected services
                 (Kafka log dirs + KRaft metadata; for mongo, the data of the
                 server MONGO_SERVER names, now $MONGO_SERVER: its H2 MVStore
                 file or FerretDB's SQLite files).
                 Downloaded jars and built binaries are kept.
EOF
}

purge=0
args=()
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    --purge-data) purge=1 ;;
    *) args+=("$arg") ;;
  esac
done
parse_services ${args[@]+"${args[@]}"}
take_lock

stop_one() {
  local svc="$1" f pid label legacy
  label="$(svc_label "$svc")"
  f="$(svc_pidfile "$svc")"
  legacy="$(svc_legacy_pidfile "$svc")" || true
  [[ -s "$f" || -z "$legacy" ]] || f="$legacy"
  if pid="$(svc_pid "$svc")"; then
    log "stopping $label (pid $pid)"
    stop_pid "$svc" "$pid"
    log "$label stopped"
  elif [[ -s "$f" ]]; then
    pid="$(<"$f")"
    if pid_alive "$pid"; then
      warn "pid $pid from $f is alive but is no longer our $label (pid reused?); not touching it"
    else
      log "$label not running (removing stale pid file)"
    fi
  else
    return 1
  fi
  rm -f "$f"
}

# Stops the service; for mongo, both servers (they share the port) unless one
# was chosen explicitly (MONGO_SERVER or a server name as argument).
stop_service() {
  local svc="$1" server stopped=0
  if [[ "$svc" != mongo || -n "$MONGO_SERVER_SET" ]]; then
    stop_one "$svc" || log "$(svc_label "$svc") not running"
    return 0
  fi
  for server in "${MONGO_SERVERS[@]}"; do
    MONGO_SERVER="$server" stop_one mongo && stopped=1
  done
  ((stopped)) || log "mongo not running"
}

purge_one() {
  case "$1" in
    kafka)
      log "purging Kafka data: $KAFKA_DATA"
      rm -rf "$KAFKA_DATA"
      ;;
    mongo)
      if [[ "$MONGO_SERVER" == ferretdb ]]; then
        log "purging FerretDB data: $FERRET_DATA $FERRET_STATE"
        rm -rf "$FERRET_DATA" "$FERRET_STATE"
      else
        log "purging mongo-java-server data: $MJS_DATA"
        rm -rf "$MJS_DATA"
      fi
      ;;
  esac
}

for svc in "${SERVICES[@]}"; do
  stop_service "$svc"
done
if ((purge)); then
  for svc in "${SERVICES[@]}"; do
    purge_one "$svc"
  done
fi
