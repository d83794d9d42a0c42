#!/usr/bin/env bash
# Stops services started by scripts/infra/up.sh. See usage().
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/infra/down.sh [--purge-data] [kafka] [mongo]

Stops the services that scripts/infra/up.sh started (no argument = both):
SIGTERM, up to ${STOP_TIMEOUT} s for a clean shutdown (STOP_TIMEOUT), then SIGKILL.
Only processes named by the pid files in $PID_DIR whose command line is still
ours are signalled; anything else on the ports is left alone.

  --purge-data   also delete the stored data of the selected services
                 (Kafka log dirs + KRaft metadata, FerretDB SQLite files).
                 Downloaded jars and the built FerretDB binary are kept.
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
  local svc="$1" f pid
  f="$(svc_pidfile "$svc")"
  if pid="$(svc_pid "$svc")"; then
    log "stopping $svc (pid $pid)"
    stop_pid "$svc" "$pid"
    log "$svc stopped"
  elif [[ -s "$f" ]]; then
    pid="$(<"$f")"
    if pid_alive "$pid"; then
      warn "pid $pid from $f is alive but is no longer our $svc (pid reused?); not touching it"
    else
      log "$svc not running (removing stale pid file)"
    fi
  else
    log "$svc not running"
  fi
  rm -f "$f"
}

purge_one() {
  case "$1" in
    kafka)
      log "purging Kafka data: $KAFKA_DATA"
      rm -rf "$KAFKA_DATA"
      ;;
    mongo)
      log "purging FerretDB data: $FERRET_DATA $FERRET_STATE"
      rm -rf "$FERRET_DATA" "$FERRET_STATE"
      ;;
  esac
}

for svc in "${SERVICES[@]}"; do
  stop_one "$svc"
done
if ((purge)); then
  for svc in "${SERVICES[@]}"; do
    purge_one "$svc"
  done
fi
