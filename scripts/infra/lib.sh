# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this
# Shared helpers for scripts/infra/{up,down,status}.sh. Sourced, not executed.
#
# Why this exists: the project's machines (dev and CI) have no Docker engine and
# reach only package registries. So the local Kafka broker is assembled from
# Maven Central jars and the MongoDB-compatible server (FerretDB + SQLite) is
# built from the Go module proxy. Everything downloaded, built or stored lives in
# one git-ignored directory, ${KAIROS_INFRA_DIR:-<repo>/.infra}.

INFRA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(git -C "$INFRA_SCRIPT_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$INFRA_SCRIPT_DIR/../.." && pwd))"
INFRA_DIR="${KAIROS_INFRA_DIR:-$REPO_ROOT/.infra}"
[[ "$INFRA_DIR" == /* ]] || INFRA_DIR="$PWD/$INFRA_DIR" # services must not depend on the caller's cwd

# Everything binds to loopback only: these are unauthenticated dev services.
INFRA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
MONGO_PORT="${MONGO_PORT:-27017}"

# Kafka 4.3.1 is the newest 4.x whose artifacts were all on Maven Central when
# this was written (4.4.0's kafka_2.13 pom needs kafka-tools-api:4.4.0: 404).
KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
# FerretDB v1.24.2 is the newest v1.24 patch the Go proxy serves. Staying on
# v1: v2 needs PostgreSQL with the DocumentDB extension, v1 has embedded SQLite.
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
[[ "$FERRETDB_VERSION" == v* ]] || FERRETDB_VERSION="v$FERRETDB_VERSION"

KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
MONGO_READY_TIMEOUT="${MONGO_READY_TIMEOUT:-30}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"

KAFKA_HOME="$INFRA_DIR/kafka"
KAFKA_JARS="$KAFKA_HOME/$KAFKA_VERSION/jars"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_CONFIG="$KAFKA_HOME/server.properties"
FERRET_HOME="$INFRA_DIR/ferretdb"
FERRET_BIN="$FERRET_HOME/$FERRETDB_VERSION/bin/ferretdb"
FERRET_DATA="$FERRET_HOME/data"
FERRET_STATE="$FERRET_HOME/state"
LOG_DIR="$INFRA_DIR/logs"
PID_DIR="$INFRA_DIR/pids"
ENV_FILE="$INFRA_DIR/env"

ALL_SERVICES=(kafka mongo)

log() { printf '[infra] %s\n' "$*"; }
warn() { printf '[infra] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[infra] ERROR: %s\n' "$*" >&2
  exit 1
}

# Turns "kafka mongo"-style arguments into SERVICES=(...). No argument = all.
parse_services() {
  SERVICES=()
  local a
  for a in "$@"; do
    case "$a" in
      kafka) SERVICES+=(kafka) ;;
      mongo | mongodb | ferretdb) SERVICES+=(mongo) ;;
      *) die "unknown service or option '$a' (expected: kafka, mongo; see --help)" ;;
    esac
  done
  ((${#SERVICES[@]})) || SERVICES=("${ALL_SERVICES[@]}")
}

docker_hint() {
  printf '[infra]        Alternative with Docker: docker compose up -d kafka mongo\n' >&2
}

# Fails early, naming every missing tool at once, instead of dying halfway
# through a download. Build tools are only required while their output is missing.
require_tools() {
  local missing=() svc
  command -v python3 >/dev/null 2>&1 || missing+=("python3 (readiness probes)")
  for svc in "$@"; do
    case "$svc" in
      kafka)
        if ! command -v java >/dev/null 2>&1; then
          missing+=("java (JDK/JRE 17+, runs the Kafka broker)")
        else
          local jv
          jv="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
          if [[ -n "$jv" && "$jv" -lt 17 ]]; then
            missing+=("java 17+ (found java $jv; Kafka 4 brokers need 17)")
          fi
        fi
        if [[ ! -f "$KAFKA_JARS/.complete" ]] && ! command -v mvn >/dev/null 2>&1; then
          missing+=("mvn (Maven 3.6+, downloads Kafka $KAFKA_VERSION from Maven Central once)")
        fi
        ;;
      mongo)
        if [[ ! -x "$FERRET_BIN" ]]; then
          if ! command -v go >/dev/null 2>&1; then
            missing+=("go (Go 1.24+, builds FerretDB $FERRETDB_VERSION once)")
          else
            # FerretDB v1.24's go.mod says "go 1.24"; we do not let the go command
            # fetch a newer toolchain itself (GOTOOLCHAIN=local), so check here.
            local gv
            gv="$(go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
            if [[ -n "$gv" ]] && ((${gv% *} == 1 && ${gv#* } < 24)); then
              missing+=("go 1.24+ (found $(go env GOVERSION); needed once to build FerretDB)")
            fi
          fi
        fi
        ;;
    esac
  done
  if ((${#missing[@]})); then
    printf '[infra] ERROR: missing required tool(s):\n' >&2
    printf '[infra]          - %s\n' "${missing[@]}" >&2
    printf '[infra]        Debian/Ubuntu: apt-get install openjdk-17-jre-headless maven python3\n' >&2
    printf '[infra]        (Go must be 1.24+; Debian 12'"'"'s golang-go is 1.19, too old)\n' >&2
    docker_hint
    exit 1
  fi
}

# Serialises up/down runs (e.g. parallel chaos tests) on one state directory.
# Services are spawned with this fd closed, so they never hold the lock.
take_lock() {
  mkdir -p "$INFRA_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$INFRA_DIR/.lock"
    flock -w 600 9 || die "could not lock $INFRA_DIR/.lock within 600 s (another up.sh/down.sh stuck?)"
  fi
}

# ----------------------------------------------------------------------------
# Per-service facts

svc_port() { case "$1" in kafka) echo "$KAFKA_PORT" ;; mongo) echo "$MONGO_PORT" ;; esac; }
svc_ports() { case "$1" in kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;; mongo) echo "$MONGO_PORT" ;; esac; }
svc_log() { echo "$LOG_DIR/$1.log"; }
svc_pidfile() { echo "$PID_DIR/$1.pid"; }
svc_timeout() { case "$1" in kafka) echo "$KAFKA_READY_TIMEOUT" ;; mongo) echo "$MONGO_READY_TIMEOUT" ;; esac; }
svc_name() { case "$1" in kafka) echo "Kafka $KAFKA_VERSION" ;; mongo) echo "FerretDB $FERRETDB_VERSION (MongoDB wire protocol, SQLite)" ;; esac; }

# A string that must appear in the command line of a process we started. This is
# how down.sh avoids killing an unrelated process that reused a stale pid.
svc_marker() {
  case "$1" in
    kafka) echo "-Dkairos.infra.dir=$INFRA_DIR " ;; # trailing space: /x/.infra must not match /x/.infra2
    mongo) echo "$FERRET_HOME/" ;;
  esac
}

pid_cmdline() {
  local pid="$1"
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline"
  else
    ps -o command= -p "$pid" 2>/dev/null || true
  fi
}

# kill -0 also succeeds for zombies: a service that died after its parent
# (up.sh) exited waits there until init reaps it. A zombie counts as dead.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  if [[ -r "/proc/$1/stat" ]]; then
    local stat
    stat="$(<"/proc/$1/stat")" || return 1
    stat="${stat##*) }"
    [[ "${stat%% *}" != Z ]] || return 1
  fi
}

# Prints the pid if the pid file names a live process that is really ours.
svc_pid() {
  local f pid
  f="$(svc_pidfile "$1")"
  [[ -s "$f" ]] || return 1
  pid="$(<"$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  pid_alive "$pid" || return 1
  [[ "$(pid_cmdline "$pid")" == *"$(svc_marker "$1")"* ]] || return 1
  echo "$pid"
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  local port="$1"
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c ">/dev/tcp/$INFRA_HOST/$port" 2>/dev/null
  else
    bash -c ">/dev/tcp/$INFRA_HOST/$port" 2>/dev/null
  fi
}

port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$1" 2>/dev/null | sed 's/^/[infra]          /' || true
  elif command -v lsof >/dev/null 2>&1; then
    lsof -nP -iTCP:"$1" -sTCP:LISTEN 2>/dev/null | sed 's/^/[infra]          /' || true
  fi
}

# Runs the real protocol-level check (see probe.py). Prints one status line.
svc_probe() {
  python3 "$INFRA_SCRIPT_DIR/probe.py" "$1" "$INFRA_HOST" "$(svc_port "$1")"
}

# Log sizes when this run started a service, so a failure shows only what the
# new process wrote, not the end of an earlier run.
declare -A LOG_START_OFFSET=()
mark_logs() {
  local f
  for f in "$(svc_log "$1")" "$LOG_DIR/$1.stdout.log"; do
    if [[ -f "$f" ]]; then
      LOG_START_OFFSET[$f]="$(wc -c <"$f" | tr -d ' ')"
    else
      LOG_START_OFFSET[$f]=0
    fi
  done
}

print_log_tail() {
  local f lines="${2:-40}" from
  for f in "$(svc_log "$1")" "$LOG_DIR/$1.stdout.log"; do
    [[ -s "$f" ]] || continue
    from="${LOG_START_OFFSET[$f]:-0}"
    printf '[infra] ---- %s (last %s lines) ----\n' "$f" "$lines" >&2
    tail -c +"$((from + 1))" "$f" | tail -n "$lines" >&2
    printf '[infra] ---- end of %s ----\n' "$f" >&2
  done
}

# Starts "$@" detached: own session (a Ctrl-C or closed terminal of the caller
# must not take the service down), stdin closed, output appended to $2, lock fd
# closed. The pid is written by the child itself right before exec, so it is the
# service's own pid even when setsid has to fork.
spawn() {
  local pidfile="$1" out="$2"
  shift 2
  local launcher=(nohup)
  command -v setsid >/dev/null 2>&1 && launcher=(setsid nohup)
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ must expand in the child shell
  "${launcher[@]}" bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$out" 2>&1 9>&- &
  local i
  for i in $(seq 1 50); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  die "could not start $1 (no pid file after 5 s); see $out"
}

# Polls the probe until ready, the process dies, or the timeout passes.
wait_ready() {
  local svc="$1" timeout start pid msg=""
  timeout="$(svc_timeout "$svc")"
  start=$SECONDS
  while true; do
    if ! pid="$(svc_pid "$svc")"; then
      print_log_tail "$svc"
      die "$(svc_name "$svc") exited during startup (log: $(svc_log "$svc"))"
    fi
    if msg="$(svc_probe "$svc")"; then
      log "$msg (pid $pid, $((SECONDS - start)) s)"
      return 0
    fi
    if ((SECONDS - start >= timeout)); then
      print_log_tail "$svc"
      die "$(svc_name "$svc") not ready after ${timeout} s (last probe: $msg). Log: $(svc_log "$svc"). It is still running as pid $pid: run up.sh again to keep waiting, or down.sh $svc to stop it."
    fi
    sleep 0.5
  done
}

# SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL. Only for pids that svc_pid
# has confirmed to be ours.
stop_pid() {
  local svc="$1" pid="$2" i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  warn "$svc (pid $pid) still running after ${STOP_TIMEOUT} s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  die "could not kill $svc (pid $pid)"
}
