#!/usr/bin/env bash
# Starts the local Kafka broker and MongoDB-compatible server without Docker.
# See usage() below, and lib.sh for why things are done this way.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() {
  cat <<EOF
Usage: scripts/infra/up.sh [kafka] [mongo | mongo-java-server | ferretdb]

Starts real services on $INFRA_HOST without Docker, from package registries only:
  kafka  Apache Kafka $KAFKA_VERSION, one KRaft node (broker+controller)
         on port $KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT); jars from Maven Central.
  mongo  a MongoDB wire-protocol server on port $MONGO_PORT, chosen by MONGO_SERVER
         (now: $MONGO_SERVER):
           mongo-java-server  (default) mongo-java-server $MONGO_JAVA_SERVER_VERSION with its
                              H2 backend: data in one MVStore file, survives restarts;
                              jars from Maven Central + a launcher compiled with javac
           ferretdb           FerretDB $FERRETDB_VERSION on SQLite; built with Go from the
                              Go module proxy. Far slower on bulk upserts of big documents.
         \`up.sh ferretdb\` is short for \`MONGO_SERVER=ferretdb up.sh mongo\`. Each keeps its
         own data; only one runs at a time (same port).
No argument starts both. Already running + ready services are left alone.
Waits until each service answers a real protocol request, then writes
$ENV_FILE (load it with: set -a; . $ENV_FILE; set +a).

The first run downloads/builds into the cache (a few minutes); later starts
take seconds. State, logs and pids live in \$KAIROS_INFRA_DIR
(default <repo>/.infra, currently $INFRA_DIR).

Environment overrides:
  KAIROS_INFRA_DIR   state/cache directory
  KAFKA_PORT         broker port (default 9092); controller uses KAFKA_PORT+1
                     unless KAFKA_CONTROLLER_PORT is set
  MONGO_PORT         MongoDB wire port (default 27017)
  MONGO_SERVER       mongo-java-server (default) or ferretdb
  KAFKA_VERSION      Kafka version on Maven Central (default 4.3.1)
  FERRETDB_VERSION   FerretDB v1 version on the Go proxy (default v1.24.2)
  MONGO_JAVA_SERVER_VERSION  de.bwaldvogel:mongo-java-server version (default 1.47.0)
  KAFKA_HEAP_OPTS    JVM heap flags (default "-Xmx1g -Xms256m": a broker that has seen many test runs holds thousands of partitions)
  MONGO_JAVA_SERVER_HEAP_OPTS  JVM heap flags (default "-Xmx1g": concurrent bulk writes of large documents
                 ran a 512 MiB server out of memory)
  MONGO_JAVA_SERVER_LOG_LEVEL  trace/debug/info/warn/error (default info)
  MONGO_JAVA_SERVER_JAVA_OPTS  extra JVM flags, e.g. -Dkairos.mongo.commitOnWrite=false
                     (see mongo-java-server/KairosMongoServer.java)
  KAFKA_READY_TIMEOUT, MONGO_READY_TIMEOUT   seconds (default 90, 30)
  FERRETDB_LOG_LEVEL DEBUG/INFO/WARN/ERROR (default INFO)
  FERRETDB_REPL_SET_NAME  e.g. rs0: FerretDB then claims to be primary of that
                     replica set, so URIs with ?replicaSet=rs0 connect. It still
                     has no transactions or change streams.
Use the same overrides for status.sh (it probes the configured ports).

Needs: python3; java 17+ (Kafka, mongo-java-server); mvn (first run only);
javac 17+ (first mongo-java-server run only); go 1.24+ (first FerretDB build
only). Alternative with Docker: docker compose up -d kafka mongo
EOF
}

for arg in "$@"; do
  case "$arg" in -h | --help) usage; exit 0 ;; esac
done
parse_services "$@"
require_tools "${SERVICES[@]}"
take_lock
mkdir -p "$LOG_DIR" "$PID_DIR"
cd "$INFRA_DIR" # the services inherit this cwd; never pin the caller's directory

# ----------------------------------------------------------------------------
# Kafka

# Resolves the broker and its runtime dependencies from Maven Central with the
# small pom next to this script. Written to a temp dir and renamed, so an
# interrupted download is never mistaken for a complete one.
ensure_kafka_jars() {
  [[ -f "$KAFKA_JARS/.complete" ]] && return 0
  log "downloading Kafka $KAFKA_VERSION from Maven Central (one time) -> $KAFKA_JARS"
  local tmp="$KAFKA_JARS.tmp.$$"
  rm -rf "$KAFKA_JARS".tmp.* # leftovers of an interrupted run (we hold the lock)
  mkdir -p "$tmp"
  # shellcheck disable=SC2086 # MAVEN_ARGS is a list of extra flags by design
  if ! mvn -B -q ${MAVEN_ARGS:-} -f "$INFRA_SCRIPT_DIR/kafka/pom.xml" \
    dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$LOG_DIR/kafka-download.log" 2>&1; then
    tail -n 30 "$LOG_DIR/kafka-download.log" >&2
    rm -rf "$tmp"
    die "Maven could not fetch Kafka $KAFKA_VERSION (full log: $LOG_DIR/kafka-download.log)"
  fi
  touch "$tmp/.complete"
  rm -rf "$KAFKA_JARS"
  mv "$tmp" "$KAFKA_JARS"
}

# Regenerated on every start so port overrides take effect. Settings are the
# usual single-node ones: replication factor 1 everywhere, no auto-created
# topics (the app must create its topics explicitly, as in production), no
# rebalance delay, and 1 partition for the internal offsets/transaction topics
# so the first start and every restart load coordinators in well under a second.
write_kafka_config() {
  cat >"$KAFKA_CONFIG" <<EOF
# Generated by scripts/infra/up.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=$INFRA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$INFRA_HOST:$KAFKA_PORT,CONTROLLER://$INFRA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$INFRA_HOST:$KAFKA_PORT,CONTROLLER://$INFRA_HOST:$KAFKA_CONTROLLER_PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=12
default.replication.factor=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The controller fences a broker whose heartbeats stop for this long. With one
# node there is no other broker to move partitions to, so fencing only stops
# everything: on a loaded 2-core machine (CI, a MongoDB restart starting a JVM)
# controller events took up to 28 s, the broker fenced itself again and again and
# every group lost its coordinator for minutes (default 9 s; we had 5 s). A clean
# stop (SIGTERM, as down.sh and the chaos tests do) deregisters at once; only a
# kill -9 makes the restarted node wait for this timeout.
broker.session.timeout.ms=30000
broker.heartbeat.interval.ms=2000
EOF
}

# KRaft storage must be formatted once. --standalone makes this node the single
# voter of the metadata quorum. The controller endpoint is recorded in the
# formatted metadata, so a later port change needs a wipe (told below).
ensure_kafka_storage() {
  local stamp="$KAFKA_DATA/.kairos-format" want="controller=$INFRA_HOST:$KAFKA_CONTROLLER_PORT"
  if [[ -f "$KAFKA_DATA/meta.properties" ]]; then
    local had by
    had="$(sed -n 's/^controller=/controller=/p' "$stamp" 2>/dev/null || true)"
    by="$(sed -n 's/^formatted_by=//p' "$stamp" 2>/dev/null || true)"
    if [[ -n "$had" && "$had" != "$want" ]]; then
      die "Kafka data in $KAFKA_DATA was formatted for $had, not $want. Wipe it with: scripts/infra/down.sh --purge-data kafka"
    fi
    # Newer brokers read older data; an older one refuses a newer metadata.version.
    if [[ -n "$by" && "$by" != "$KAFKA_VERSION" ]]; then
      warn "Kafka data was formatted by Kafka $by, starting $KAFKA_VERSION. If it fails to start, wipe it: scripts/infra/down.sh --purge-data kafka"
    fi
    return 0
  fi
  local cluster_id
  cluster_id="$(java -cp "$KAFKA_JARS/*" kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka.stdout.log")"
  log "formatting KRaft storage (cluster id $cluster_id) -> $KAFKA_DATA"
  mkdir -p "$KAFKA_DATA"
  if ! java -cp "$KAFKA_JARS/*" kafka.tools.StorageTool format --standalone \
    -t "$cluster_id" -c "$KAFKA_CONFIG" >>"$LOG_DIR/kafka.stdout.log" 2>&1; then
    print_log_tail kafka 20
    die "kafka.tools.StorageTool format failed"
  fi
  printf '%s\nformatted_by=%s\n' "$want" "$KAFKA_VERSION" >"$stamp"
}

start_kafka() {
  ensure_kafka_jars
  write_kafka_config
  ensure_kafka_storage
  # Class-data-sharing archive: on 2 cores about half of the broker's ~5 s start
  # is class loading. The first start records the loaded classes; the JVM writes
  # the archive when that broker exits (down.sh), and later starts map it
  # (~2.5 s). Keyed by JVM build; a stale or unusable archive only makes the JVM
  # fall back to normal class loading.
  local jsa cds
  jsa="$KAFKA_HOME/$KAFKA_VERSION/cds-$(java -version 2>&1 | cksum | cut -d' ' -f1).jsa"
  if [[ -s "$jsa" ]]; then
    cds="-XX:SharedArchiveFile=$jsa"
  else
    cds="-XX:ArchiveClassesAtExit=$jsa"
  fi
  log "starting Kafka $KAFKA_VERSION on $INFRA_HOST:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT, heap: $KAFKA_HEAP_OPTS)"
  printf '\n===== %s up.sh starting kafka =====\n' "$(date '+%F %T')" >>"$LOG_DIR/kafka.stdout.log"
  # JVM flags follow Kafka's own kafka-run-class.sh defaults (G1, short pauses).
  # -Dkairos.infra.dir is the marker down.sh uses to recognise our process.
  # shellcheck disable=SC2086
  spawn "$(svc_pidfile kafka)" "$LOG_DIR/kafka.stdout.log" \
    java $KAFKA_HEAP_OPTS "$cds" -Xlog:cds=error,cds+dynamic=error \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "-Dkairos.infra.dir=$INFRA_DIR" \
    "-Dkafka.logs.dir=$LOG_DIR" \
    "-Dlog4j2.configurationFile=$INFRA_SCRIPT_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_JARS/*" kafka.Kafka "$KAFKA_CONFIG"
}

# ----------------------------------------------------------------------------
# FerretDB

# `go install github.com/FerretDB/FerretDB/cmd/ferretdb@vX` produces a binary
# that panics at start: build/version/version.txt is generated from git and is
# not in the module zip, yet it is go:embed-ed and must start with "v". So: fetch
# the module, copy it somewhere writable, write the version files, build there.
ensure_ferretdb() {
  [[ -x "$FERRET_BIN" ]] && return 0
  log "building FerretDB $FERRETDB_VERSION with Go (one time, ~2 min) -> $FERRET_BIN"
  local work="$FERRET_HOME/$FERRETDB_VERSION/build.$$"
  rm -rf "$FERRET_HOME/$FERRETDB_VERSION"/build.* # leftovers of an interrupted run (we hold the lock)
  mkdir -p "$work/fetch"
  # Never let the go command fetch a different toolchain behind our back, and
  # let `go mod download` run in a throwaway module.
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS="-mod=mod"
  local build_log="$LOG_DIR/ferretdb-build.log" info dir commit
  (cd "$work/fetch" && go mod init kairos-infra-fetch) >"$build_log" 2>&1
  if ! info="$(cd "$work/fetch" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>>"$build_log")"; then
    echo "$info" >>"$build_log"
    tail -n 20 "$build_log" >&2
    rm -rf "$work"
    die "go mod download github.com/FerretDB/FerretDB@$FERRETDB_VERSION failed (log: $build_log)"
  fi
  dir="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])' <<<"$info")"
  commit="$(python3 -c 'import json,sys; print(json.load(sys.stdin).get("Origin", {}).get("Hash", ""))' <<<"$info")"
  cp -R "$dir" "$work/src"
  chmod -R u+w "$work/src" # the module cache is read-only
  echo "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  [[ -n "$commit" ]] && echo "$commit" >"$work/src/build/version/commit.txt"
  echo "kairos-infra" >"$work/src/build/version/package.txt"
  # No build tags needed: SQLite (pure Go, modernc.org/sqlite) is in by default.
  # CGO off keeps the build independent of a C toolchain.
  if ! (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -buildvcs=false \
    -o "$work/ferretdb" ./cmd/ferretdb) >>"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    rm -rf "$work"
    die "building FerretDB $FERRETDB_VERSION failed (log: $build_log)"
  fi
  "$work/ferretdb" --version >>"$build_log" 2>&1 || die "built FerretDB binary does not run (log: $build_log)"
  mkdir -p "$(dirname "$FERRET_BIN")"
  mv "$work/ferretdb" "$FERRET_BIN"
  rm -rf "$work" # sources are in GOMODCACHE, objects in GOCACHE
}

start_ferretdb() {
  ensure_ferretdb
  mkdir -p "$FERRET_DATA" "$FERRET_STATE"
  log "starting FerretDB $FERRETDB_VERSION (SQLite in $FERRET_DATA) on $INFRA_HOST:$MONGO_PORT"
  printf '\n===== %s up.sh starting ferretdb =====\n' "$(date '+%F %T')" >>"$(svc_log mongo)"
  # --telemetry=disable and DO_NOT_TRACK=1: no phone-home / update checks (the
  # machines have no internet anyway). --debug-addr=-: no extra HTTP port
  # (default 8088) that could collide. --state-dir keeps state.json out of cwd.
  spawn "$(svc_pidfile mongo)" "$(svc_log mongo)" \
    env DO_NOT_TRACK=1 "$FERRET_BIN" --handler=sqlite "--sqlite-url=file:$FERRET_DATA/" \
    "--listen-addr=$INFRA_HOST:$MONGO_PORT" --telemetry=disable --debug-addr=- \
    "--state-dir=$FERRET_STATE" --log-level="${FERRETDB_LOG_LEVEL:-INFO}"
}

# ----------------------------------------------------------------------------
# mongo-java-server (de.bwaldvogel), H2 MVStore backend

# Same scheme as ensure_kafka_jars, with mongo-java-server/pom.xml.
ensure_mjs_jars() {
  [[ -f "$MJS_JARS/.complete" ]] && return 0
  log "downloading mongo-java-server $MONGO_JAVA_SERVER_VERSION from Maven Central (one time) -> $MJS_JARS"
  local tmp="$MJS_JARS.tmp.$$" dl_log="$LOG_DIR/mongo-java-server-download.log"
  rm -rf "$MJS_JARS".tmp.* # leftovers of an interrupted run (we hold the lock)
  mkdir -p "$tmp"
  # shellcheck disable=SC2086 # MAVEN_ARGS is a list of extra flags by design
  if ! mvn -B -q ${MAVEN_ARGS:-} -f "$INFRA_SCRIPT_DIR/mongo-java-server/pom.xml" \
    dependency:copy-dependencies \
    -Dmongo-java-server.version="$MONGO_JAVA_SERVER_VERSION" -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$dl_log" 2>&1; then
    tail -n 30 "$dl_log" >&2
    rm -rf "$tmp"
    die "Maven could not fetch mongo-java-server $MONGO_JAVA_SERVER_VERSION (full log: $dl_log)"
  fi
  touch "$tmp/.complete"
  rm -rf "$MJS_JARS"
  mv "$tmp" "$MJS_JARS"
}

# The library has no main class, so KairosMongoServer.java (next to the pom)
# binds it to a host/port/file. Compiled into a jar, not a class directory:
# the JVM's class-data-sharing archive (below) only covers jars. Recompiled when
# the source changes (checksum stamp); that also drops the stale CDS archive.
ensure_mjs_launcher() {
  mjs_launcher_current && return 0
  log "compiling the mongo-java-server launcher -> $MJS_LAUNCHER_DIR"
  local tmp="$MJS_LAUNCHER_DIR.tmp.$$" build_log="$LOG_DIR/mongo-java-server-build.log"
  rm -rf "$MJS_LAUNCHER_DIR".tmp.*
  mkdir -p "$tmp/classes"
  if ! { javac --release 17 -encoding UTF-8 -d "$tmp/classes" -cp "$MJS_JARS/*" "$MJS_SRC" &&
    jar --create --file "$tmp/${MJS_LAUNCHER_JAR##*/}" -C "$tmp/classes" .; } >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -rf "$tmp"
    die "compiling $MJS_SRC failed (log: $build_log)"
  fi
  rm -rf "$tmp/classes"
  mjs_launcher_stamp >"$tmp/.source-cksum"
  rm -rf "$MJS_LAUNCHER_DIR"
  mv "$tmp" "$MJS_LAUNCHER_DIR"
}

start_mongo_java_server() {
  ensure_mjs_jars
  ensure_mjs_launcher
  mkdir -p "$MJS_DATA"
  # Class-data sharing as for Kafka: JVM start to ready ~2 s -> ~0.8 s on 2 cores.
  local jsa cds level="${MONGO_JAVA_SERVER_LOG_LEVEL:-info}" quiet=()
  jsa="$MJS_LAUNCHER_DIR/cds-$(java -version 2>&1 | cksum | cut -d' ' -f1).jsa"
  if [[ -s "$jsa" ]]; then
    cds="-XX:SharedArchiveFile=$jsa"
  else
    cds="-XX:ArchiveClassesAtExit=$jsa"
  fi
  # At info, one line per client connect/disconnect is noise (errors still show).
  [[ "$level" != info ]] || quiet=(-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=warn)
  log "starting mongo-java-server $MONGO_JAVA_SERVER_VERSION (H2 MVStore $MJS_DB_FILE) on $INFRA_HOST:$MONGO_PORT (heap: $MONGO_JAVA_SERVER_HEAP_OPTS)"
  printf '\n===== %s up.sh starting mongo-java-server =====\n' "$(date '+%F %T')" >>"$(svc_log mongo)"
  # Logging: slf4j-simple to stderr, i.e. the log file. kairos.mongo.*: see
  # KairosMongoServer.java (MVStore page cache 128 MB: the default 16 MB makes
  # reads of ~10 KB documents miss the cache and deserialize pages again).
  # shellcheck disable=SC2086 # heap opts are a list of flags
  spawn "$(svc_pidfile mongo)" "$(svc_log mongo)" \
    java $MONGO_JAVA_SERVER_HEAP_OPTS "$cds" -Xlog:cds=error,cds+dynamic=error \
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel="$level" ${quiet[@]+"${quiet[@]}"} \
    -Dkairos.mongo.cacheMb=128 ${MONGO_JAVA_SERVER_JAVA_OPTS:-} \
    -cp "$MJS_LAUNCHER_JAR:$MJS_JARS/*" \
    KairosMongoServer "$INFRA_HOST" "$MONGO_PORT" "$MJS_DB_FILE"
}

start_mongo() {
  case "$MONGO_SERVER" in
    ferretdb) start_ferretdb ;;
    mongo-java-server) start_mongo_java_server ;;
  esac
}

# ----------------------------------------------------------------------------

# Starts one service unless it is already ours and running (then it only needs
# the readiness wait). Refuses to start when another process holds its ports.
start_one() {
  local svc="$1" pid port legacy
  legacy="$(svc_legacy_pidfile "$svc")" || true
  if pid="$(svc_pid "$svc")"; then
    log "$(svc_label "$svc") already running (pid $pid)"
    return 0
  fi
  if [[ "$svc" == mongo ]]; then
    # The other MongoDB server, started by us, may hold the port (MONGO_SERVER
    # changed since). Say so instead of "in use by a process not started by us".
    local other
    other="$(other_mongo_server)"
    if pid="$(MONGO_SERVER="$other" svc_pid mongo)"; then
      die "$other (pid $pid, started by scripts/infra) is running on port $MONGO_PORT, but MONGO_SERVER=$MONGO_SERVER. Stop it first: scripts/infra/down.sh mongo (its data is kept), or keep it: MONGO_SERVER=$other"
    fi
  fi
  rm -f "$(svc_pidfile "$svc")" ${legacy:+"$legacy"} # stale: process gone or pid reused by something else
  for port in $(svc_ports "$svc"); do
    if port_open "$port"; then
      port_owner "$port" >&2
      die "port $INFRA_HOST:$port (needed by $svc) is in use by a process not started by scripts/infra. Stop it (e.g. docker compose down) or choose another port (KAFKA_PORT / MONGO_PORT)."
    fi
  done
  mark_logs "$svc"
  "start_$svc"
}

write_env() {
  local tmp="$ENV_FILE.tmp.$$"
  # No quoting needed: values contain no spaces or shell metacharacters, so the
  # file works for `set -a; . .infra/env`, docker --env-file and dotenv alike.
  # Both MongoDB servers are single servers (not replica sets), so the driver's
  # default direct connection to one host is right; no URI options are needed.
  cat >"$tmp" <<EOF
# Generated by scripts/infra/up.sh. Load with: set -a; . $ENV_FILE; set +a
KAFKA_BROKERS=$INFRA_HOST:$KAFKA_PORT
MONGODB_URI=mongodb://$INFRA_HOST:$MONGO_PORT/kairos
EOF
  mv "$tmp" "$ENV_FILE"
}

t0=$SECONDS
# Start everything first, then wait: the services boot in parallel.
for svc in "${SERVICES[@]}"; do
  start_one "$svc"
done
for svc in "${SERVICES[@]}"; do
  wait_ready "$svc"
done
write_env
log "ready in $((SECONDS - t0)) s: ${SERVICES[*]}; env: $ENV_FILE"
