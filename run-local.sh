#!/usr/bin/env bash
# Builds Claude Code Cloud and runs all three services on this machine: one Hazelcast cluster on
# loopback, state under ./data (or $CCC_DATA_DIR), one folder per service. Ctrl-C stops all three.
# Prerequisites: a JDK >= 17 and Node.js >= 20 with npm; the Maven wrapper brings Maven.
set -euo pipefail
cd "$(dirname "$0")"

# Each service keeps its state in a folder of its own under the data folder: the api-service's
# keys and database (mode 0700) must never be within reach of the users' processes, which the
# pty-service runs next to them on this machine.
data="${CCC_DATA_DIR:-$PWD/data}"
unset CCC_DATA_DIR
# The bus key the three services share (generated on the first start), beside their folders.
export CCC_BUS_KEY_FILE="${CCC_BUS_KEY_FILE:-$data/bus/bus.key}"
logs="$data/logs"
api_port="${CCC_API_PORT:-8080}"
# The heap's maximum, and ccc.jvm.memory of pom.xml (docs/performance.md, "JVM memory settings").
java_opts=(-Xmx512m -XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30
  -XX:ReservedCodeCacheSize=64m -Xss512k)

# Run as root, the pty-service gives every user a Unix identity and a sandbox of their own; run as
# anybody else, it cannot, and runs only administrators' terminals and clones (README, "Isolation").
if ((EUID == 0)); then
  echo "Running as root: every user's terminals will run in a sandbox of their own."
else
  echo "Not running as root: the pty-service cannot sandbox users and will run only"
  echo "administrators' terminals and clones (CCC_PTY_ISOLATION=none runs everyone's, unsafe for"
  echo "several users)."
fi

echo "Building (first run downloads dependencies; later runs take about a minute)..."
./mvnw -B -q package -DskipTests

mkdir -p "$logs"
chmod 0700 "$logs"
# Data of an earlier layout, where both services shared one folder, moves into theirs.
if [[ -e "$data/ccc.sqlite" && ! -e "$data/api-service" ]]; then
  mkdir -m 0700 "$data/api-service"
  for item in ccc.sqlite ccc.sqlite-wal ccc.sqlite-shm keys initial-admin-password; do
    [[ -e "$data/$item" ]] && mv "$data/$item" "$data/api-service/"
  done
fi
if [[ -e "$data/homes" && ! -e "$data/pty-service" ]]; then
  mkdir "$data/pty-service"
  for item in homes workspaces; do
    [[ -e "$data/$item" ]] && mv "$data/$item" "$data/pty-service/"
  done
fi
pids=()
stop() {
  trap - INT TERM EXIT
  if ((${#pids[@]})); then
    echo
    echo "Stopping..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

launch() {
  local name=$1 jar=$2
  : >"$logs/$name.log"
  CCC_DATA_DIR="$data/$name" java "${java_opts[@]}" -jar "$jar" >>"$logs/$name.log" 2>&1 &
  pids+=($!)
}

await_line() {
  local name=$1 line=$2
  for _ in $(seq 1 240); do
    grep -q "$line" "$logs/$name.log" && return 0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "A service exited; see $logs/$name.log" >&2; tail -20 "$logs/$name.log" >&2; exit 1; }
    done
    sleep 0.5
  done
  echo "$name did not become ready; see $logs/$name.log" >&2
  exit 1
}

launch pty-service pty-service/target/ccc-pty-service.jar
launch api-service api-service/target/quarkus-app/quarkus-run.jar
launch ws-gateway ws-gateway/target/ccc-ws-gateway.jar
await_line pty-service "pty-service ready"
await_line api-service "Listening on"
await_line ws-gateway "ws-gateway ready"

echo
echo "Claude Code Cloud is running: http://localhost:$api_port"
grep -o 'isolation [a-z-]*' "$logs/pty-service.log" | tail -1 | sed 's/^/Users: /'
password_file="$data/api-service/initial-admin-password"
if [[ -n "${CCC_ADMIN_PASSWORD:-}" ]]; then
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the password in CCC_ADMIN_PASSWORD."
elif [[ -f "$password_file" ]]; then
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the generated password in $password_file:"
  echo "  $(cat "$password_file")"
  echo "  (delete that file once you have noted the password)"
else
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the password generated on the first start."
fi
echo "Logs: $logs. Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
echo "A service stopped; see $logs." >&2
