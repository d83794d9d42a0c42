#!/usr/bin/env bash
# Reports the state of the services managed by scripts/infra/up.sh. See usage().
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/infra/status.sh [kafka] [mongo | mongo-java-server | ferretdb]

Prints, for each service (no argument = both): running/stopped, pid, port and
readiness (a real Kafka / MongoDB protocol request, see probe.py).
For mongo, "running" means the server MONGO_SERVER names (now: $MONGO_SERVER).
Exit status 0 only if every selected service is running and ready.
State directory: $INFRA_DIR
EOF
}

for arg in "$@"; do
  case "$arg" in -h | --help) usage; exit 0 ;; esac
done
parse_services "$@"
command -v python3 >/dev/null 2>&1 || die "python3 is required for the readiness probes"

rc=0
for svc in "${SERVICES[@]}"; do
  port="$(svc_port "$svc")"
  if pid="$(svc_pid "$svc")"; then
    state=running
  else
    state=stopped
    pid=-
    rc=1
  fi
  if probe="$(svc_probe "$svc")"; then
    ready=ready
  else
    ready="not ready"
    rc=1
  fi
  if [[ "$state" == running && "$svc" == mongo ]]; then
    probe="$probe [$MONGO_SERVER]"
  elif [[ "$state" == stopped && "$svc" == mongo ]] &&
    other_pid="$(MONGO_SERVER="$(other_mongo_server)" svc_pid mongo)"; then
    # Ours, but not the server asked for: up.sh would refuse to start.
    probe="$probe (port served by $(other_mongo_server), pid $other_pid, started by scripts/infra; MONGO_SERVER=$MONGO_SERVER)"
  elif [[ "$state" == stopped && "$ready" == ready ]]; then
    # Something answers, but it is not a process we started (e.g. Docker).
    probe="$probe (port served by a process NOT started by scripts/infra)"
  fi
  printf '[infra] %-6s %-8s pid=%-8s port=%-6s %-10s %s\n' "$svc" "$state" "$pid" "$port" "$ready" "$probe"
done
if [[ -f "$ENV_FILE" ]]; then
  log "env file: $ENV_FILE"
fi
exit "$rc"
