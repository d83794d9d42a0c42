# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts that source this
# Shared helpers for scripts/infra/{up,down,status}.sh. Sourced, not executed.
#
# Why this exists: the project's machines (dev and CI) have no Docker engine and
# reach only package registries. So the local Kafka broker is assembled from
# Maven Central jars, and the MongoDB wire-protocol server is either
# mongo-java-server with its H2 backend (Maven Central jars plus a small launcher
# compiled here; the default) or FerretDB + SQLite (built from the Go module
# proxy), chosen with MONGO_SERVER. Everything downloaded, built or stored lives
# in one git-ignored directory, ${KAIROS_INFRA_DIR:-<repo>/.infra}.

INFRA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(git -C "$INFRA_SCRIPT_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$INFRA_SCRIPT_DIR/../.." && pwd))"
INFRA_DIR="${KAIROS_INFRA_DIR:-$REPO_ROOT/.infra}"
[[ "$INFRA_DIR" == /* ]] || INFRA_DIR="$PWD/$INFRA_DIR" # services must not depend on the caller's cwd

# Everything binds to loopback only: these are unauthenticated dev services.
INFRA_HOST=127.0.0.1
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
MONGO_PORT="${MONGO_PORT:-27017}"

# Which server answers for the `mongo` service (checked in check_mongo_server):
#   mongo-java-server  default. Java, data in one H2 MVStore file. ~1-2 ms per
#                      10 KB upsert in an unordered bulkWrite (FerretDB: ~30 ms).
#   ferretdb           FerretDB v1 on SQLite. Closer to MongoDB in places: real
#                      secondary indexes, and TTL indexes fail loudly (code 238)
#                      where mongo-java-server accepts and then ignores them.
MONGO_SERVER_SET="${MONGO_SERVER:-}" # non-empty if the caller chose explicitly
MONGO_SERVER="${MONGO_SERVER:-mongo-java-server}"
MONGO_SERVERS=(mongo-java-server ferretdb)

# Kafka 4.3.1 is the newest 4.x whose artifacts were all on Maven Central when
# this was written (4.4.0's kafka_2.13 pom needs kafka-tools-api:4.4.0: 404).
KAFKA_VERSION="${KAFKA_VERSION:-4.3.1}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1g -Xms256m}"
# FerretDB v1.24.2 is the newest v1.24 patch the Go proxy serves. Staying on
# v1: v2 needs PostgreSQL with the DocumentDB extension, v1 has embedded SQLite.
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
[[ "$FERRETDB_VERSION" == v* ]] || FERRETDB_VERSION="v$FERRETDB_VERSION"
# de.bwaldvogel:mongo-java-server(-h2-backend) on Maven Central.
MONGO_JAVA_SERVER_VERSION="${MONGO_JAVA_SERVER_VERSION:-1.47.0}"
MONGO_JAVA_SERVER_HEAP_OPTS="${MONGO_JAVA_SERVER_HEAP_OPTS:--Xmx1g}"

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
MJS_HOME="$INFRA_DIR/mongo-java-server"
MJS_JARS="$MJS_HOME/$MONGO_JAVA_SERVER_VERSION/jars"
MJS_LAUNCHER_DIR="$MJS_HOME/$MONGO_JAVA_SERVER_VERSION/launcher"
MJS_LAUNCHER_JAR="$MJS_LAUNCHER_DIR/kairos-mongo-server.jar"
MJS_SRC="$INFRA_SCRIPT_DIR/mongo-java-server/KairosMongoServer.java"
MJS_DATA="$MJS_HOME/data"
MJS_DB_FILE="$MJS_DATA/kairos.mv.db"
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

check_mongo_server() {
  case "$MONGO_SERVER" in
    mongo-java-server | ferretdb) ;;
    *) die "MONGO_SERVER='$MONGO_SERVER' is not one of: ${MONGO_SERVERS[*]}" ;;
  esac
}
check_mongo_server

# The MongoDB server that is not MONGO_SERVER (they share MONGO_PORT).
other_mongo_server() {
  if [[ "$MONGO_SERVER" == ferretdb ]]; then echo mongo-java-server; else echo ferretdb; fi
}

# Turns "kafka mongo"-style arguments into SERVICES=(...). No argument = all.
parse_services() {
  SERVICES=()
  local a
  for a in "$@"; do
    case "$a" in
      kafka) SERVICES+=(kafka) ;;
      mongo | mongodb) SERVICES+=(mongo) ;;
      ferretdb | mongo-java-server)
        # `up.sh ferretdb` = `MONGO_SERVER=ferretdb up.sh mongo`.
        if [[ -n "$MONGO_SERVER_SET" && "$MONGO_SERVER_SET" != "$a" ]]; then
          die "'$a' given, but MONGO_SERVER=$MONGO_SERVER_SET"
        fi
        MONGO_SERVER_SET="$a" MONGO_SERVER="$a"
        SERVICES+=(mongo)
        ;;
      *) die "unknown service or option '$a' (expected: kafka, mongo, ferretdb, mongo-java-server; see --help)" ;;
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
  local missing=() svc java_for=()
  command -v python3 >/dev/null 2>&1 || missing+=("python3 (readiness probes)")
  for svc in "$@"; do
    case "$svc" in
      kafka)
        java_for+=("the Kafka broker")
        if [[ ! -f "$KAFKA_JARS/.complete" ]] && ! command -v mvn >/dev/null 2>&1; then
          missing+=("mvn (Maven 3.6+, downloads Kafka $KAFKA_VERSION from Maven Central once)")
        fi
        ;;
      mongo)
        if [[ "$MONGO_SERVER" == mongo-java-server ]]; then
          java_for+=("mongo-java-server")
          if [[ ! -f "$MJS_JARS/.complete" ]] && ! command -v mvn >/dev/null 2>&1; then
            missing+=("mvn (Maven 3.6+, downloads mongo-java-server $MONGO_JAVA_SERVER_VERSION from Maven Central once)")
          fi
          if ! mjs_launcher_current && ! command -v javac >/dev/null 2>&1; then
            missing+=("javac (a JDK 17+, e.g. openjdk-17-jdk-headless; compiles the mongo-java-server launcher once)")
          fi
        elif [[ ! -x "$FERRET_BIN" ]]; then
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
  if ((${#java_for[@]})); then
    local need
    need="$(printf '%s, ' "${java_for[@]}")"
    need="${need%, }"
    if ! command -v java >/dev/null 2>&1; then
      missing+=("java (JDK/JRE 17+, runs $need)")
    else
      local jv
      jv="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
      if [[ -n "$jv" && "$jv" -lt 17 ]]; then
        missing+=("java 17+ (found java $jv; $need need 17)")
      fi
    fi
  fi
  if ((${#missing[@]})); then
    printf '[infra] ERROR: missing required tool(s):\n' >&2
    printf '[infra]          - %s\n' "${missing[@]}" >&2
    printf '[infra]        Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven python3\n' >&2
    [[ "$MONGO_SERVER" != ferretdb ]] ||
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
# For mongo, the files below belong to the server chosen by MONGO_SERVER
# (logs/mongo-java-server.log, pids/ferretdb.pid, ...), never shared.
svc_unit() { if [[ "$1" == mongo ]]; then echo "$MONGO_SERVER"; else echo "$1"; fi; }
svc_label() { if [[ "$1" == mongo ]]; then echo "mongo ($MONGO_SERVER)"; else echo "$1"; fi; }
svc_log() { echo "$LOG_DIR/$(svc_unit "$1").log"; }
svc_stdout_log() { echo "$LOG_DIR/$(svc_unit "$1").stdout.log"; }
svc_pidfile() { echo "$PID_DIR/$(svc_unit "$1").pid"; }
# Before MONGO_SERVER existed, FerretDB's pid file was pids/mongo.pid.
svc_legacy_pidfile() { [[ "$(svc_unit "$1")" == ferretdb ]] && echo "$PID_DIR/mongo.pid"; }
svc_timeout() { case "$1" in kafka) echo "$KAFKA_READY_TIMEOUT" ;; mongo) echo "$MONGO_READY_TIMEOUT" ;; esac; }
svc_name() {
  case "$(svc_unit "$1")" in
    kafka) echo "Kafka $KAFKA_VERSION" ;;
    ferretdb) echo "FerretDB $FERRETDB_VERSION (MongoDB wire protocol, SQLite)" ;;
    mongo-java-server) echo "mongo-java-server $MONGO_JAVA_SERVER_VERSION (MongoDB wire protocol, H2 MVStore)" ;;
  esac
}

# A string that must appear in the command line of a process we started. This is
# how down.sh avoids killing an unrelated process that reused a stale pid.
svc_marker() {
  case "$(svc_unit "$1")" in
    kafka) echo "-Dkairos.infra.dir=$INFRA_DIR " ;; # trailing space: /x/.infra must not match /x/.infra2
    ferretdb) echo "$FERRET_HOME/" ;;
    mongo-java-server) echo "$MJS_HOME/" ;; # in its -cp; no -Dkairos.infra.dir (Kafka's marker)
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
  [[ -s "$f" ]] || f="$(svc_legacy_pidfile "$1")" || return 1
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

# True if the compiled mongo-java-server launcher matches KairosMongoServer.java
# (up.sh recompiles it when the source changes).
mjs_launcher_stamp() { cksum <"$MJS_SRC" | cut -d' ' -f1; }
mjs_launcher_current() {
  [[ -f "$MJS_LAUNCHER_JAR" && -f "$MJS_LAUNCHER_DIR/.source-cksum" ]] &&
    [[ "$(<"$MJS_LAUNCHER_DIR/.source-cksum")" == "$(mjs_launcher_stamp)" ]]
}

# Log sizes when this run started a service, so a failure shows only what the
# new process wrote, not the end of an earlier run.
declare -A LOG_START_OFFSET=()
mark_logs() {
  local f
  for f in "$(svc_log "$1")" "$(svc_stdout_log "$1")"; do
    if [[ -f "$f" ]]; then
      LOG_START_OFFSET[$f]="$(wc -c <"$f" | tr -d ' ')"
    else
      LOG_START_OFFSET[$f]=0
    fi
  done
}

print_log_tail() {
  local f lines="${2:-40}" from
  for f in "$(svc_log "$1")" "$(svc_stdout_log "$1")"; do
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
