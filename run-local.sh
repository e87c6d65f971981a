#!/usr/bin/env bash
# Builds Claude Code Cloud and runs all three services on this machine: one Hazelcast cluster on
# loopback, state under ./data (or $CCC_DATA_DIR). Ctrl-C stops all three.
# Prerequisites: a JDK >= 17 and Node.js >= 20 with npm; the Maven wrapper brings Maven.
set -euo pipefail
cd "$(dirname "$0")"

export CCC_DATA_DIR="${CCC_DATA_DIR:-$PWD/data}"
logs="$CCC_DATA_DIR/logs"
api_port="${CCC_API_PORT:-8080}"
java_opts=(-Xmx512m)

echo "Building (first run downloads dependencies; later runs take about a minute)..."
./mvnw -B -q package -DskipTests

mkdir -p "$logs"
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
  java "${java_opts[@]}" -jar "$jar" >>"$logs/$name.log" 2>&1 &
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
if [[ -n "${CCC_ADMIN_PASSWORD:-}" ]]; then
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the password in CCC_ADMIN_PASSWORD."
elif [[ -f "$CCC_DATA_DIR/initial-admin-password" ]]; then
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the generated password in $CCC_DATA_DIR/initial-admin-password:"
  echo "  $(cat "$CCC_DATA_DIR/initial-admin-password")"
  echo "  (delete that file once you have noted the password)"
else
  echo "Log in as '${CCC_ADMIN_USERNAME:-admin}' with the password generated on the first start."
fi
echo "Logs: $logs. Press Ctrl-C to stop."
wait -n "${pids[@]}" || true
echo "A service stopped; see $logs." >&2
