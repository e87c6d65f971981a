#!/usr/bin/env bash
# Runs the real docker-compose.yml under a real container runtime — podman with runc, driven by
# Debian's podman-compose, as on a machine without a Docker engine — on the three images the smoke
# test built (their Jib tarballs under */target), and checks what an operator relies on: the three
# become healthy, only the api-service and the gateway publish ports, a session's shell answers a
# command typed through the gateway's WebSocket, the shell survives restarts of the api-service and
# gateway containers (which come back at new addresses) and is reachable again at once, and `down`
# stops everything without a kill. Needs root, podman, podman-compose, runc and a JDK 17.
#
#   deploy/images/compose-test.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
project="ccc-compose-test-$$"
api=http://127.0.0.1:8080

now() { date +%s.%N; }
since() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1f s", to - from }'; }
log() { printf '[compose] %s\n' "$*"; }
die() {
  printf '[compose] FAILED: %s\n' "$*" >&2
  for service in pty-service api-service ws-gateway; do
    printf '[compose] --- last lines of %s\n' "$service" >&2
    podman logs --tail 30 "${project}_${service}_1" >&2 2>&1 || true
  done
  exit 1
}

# runc: crun refuses some hosts' cgroup layouts; the limits: a container without CAP_SYS_RESOURCE
# cannot raise its own. Given to podman through CONTAINERS_CONF, the machine's file left as it is.
work="$(mktemp -d "${TMPDIR:-/tmp}/ccc-compose.XXXXXX")"
cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"
export CCC_ADMIN_PASSWORD="compose-test-$RANDOM$RANDOM$RANDOM"

compose() { (cd "$repo" && podman-compose -p "$project" -f docker-compose.yml "$@"); }
cleanup() {
  compose down >/dev/null 2>&1 || true
  podman volume rm -f "${project}_pty-data" "${project}_api-data" "${project}_bus-key" \
    >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(now)
for service in pty-service api-service ws-gateway; do
  image="$repo/$service/target/jib-image.tar"
  [[ -f "$image" ]] || die "no image at $image; run deploy/images/smoke-test.sh first"
  podman load -q -i "$image" >/dev/null || die "loading $image"
done
log "images loaded in $(since "$started")"

await_healthy() {
  local service="$1" deadline=$((SECONDS + 240))
  until podman healthcheck run "${project}_${service}_1" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$service not healthy within 240 s"
    sleep 2
  done
}

t=$(now)
compose up -d >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; die "compose up"; }
for service in pty-service api-service ws-gateway; do await_healthy "$service"; done
log "the three are healthy $(since "$t") after up"

[[ -z "$(podman port "${project}_pty-service_1")" ]] || die "the pty-service publishes a port"
for service in api-service ws-gateway; do
  [[ -n "$(podman port "${project}_${service}_1")" ]] || die "$service publishes no port"
done
log "only the api-service and the gateway publish ports"

json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
token=$(curl -fsS -X POST "$api/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$CCC_ADMIN_PASSWORD\"}" | json '["accessToken"]') \
  || die "logging in as the administrator the compose file's password made"
call() {
  local body="${3-}"
  [[ -n "$body" ]] || body='{}'
  curl -fsS -m 60 -X "$1" "$api$2" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$body"
}
get() { curl -fsS -m 60 "$api$1" -H "Authorization: Bearer $token"; }
type_into() {
  local ticket
  ticket=$(call POST /api/auth/ws-ticket | json '["ticket"]') || die "a WebSocket ticket"
  java "$here/TerminalProbe.java" ws://127.0.0.1:8081/ws http://localhost:8080 "$ticket" "$1" \
    >/dev/null || die "typing into terminal $1 through the gateway's WebSocket"
}

workspace=$(call POST /api/workspaces '{"name":"compose"}' | json '["id"]') || die "a workspace"
session=$(call POST /api/sessions "{\"workspaceId\":\"$workspace\",\"name\":\"main\"}" \
  | json '["id"]') || die "a session"
terminal=$(call POST "/api/sessions/$session/start" | json '["terminals"][0]') || die "a start"
type_into "$terminal"
log "a command typed through the gateway's WebSocket is answered by the session's shell"

t=$(now)
podman restart "${project}_api-service_1" "${project}_ws-gateway_1" >/dev/null 2>&1 \
  || die "restarting the api-service and the gateway"
await_healthy api-service
await_healthy ws-gateway
log "the api-service and the gateway restarted in $(since "$t")"
# They came back at new addresses: the pty-service must answer them at those.
t=$(now)
[[ "$(get "/api/sessions/$session" | json '["terminals"]')" == "['$terminal']" ]] \
  || die "the shell is not listed after the restarts"
type_into "$terminal"
tab=$(call POST "/api/sessions/$session/terminals" '{"cols":80,"rows":24}' | json '["id"]') \
  || die "opening a tab after the restarts"
type_into "$tab"
log "the shell survived and answers again, a new tab too, $(since "$t") after they were ready"

t=$(now)
compose down >"$work/down.log" 2>&1 || { cat "$work/down.log" >&2; die "compose down"; }
! grep -q 'resorting to SIGKILL' "$work/down.log" \
  || die "down had to kill: $(grep 'resorting to SIGKILL' "$work/down.log")"
log "down stopped the three without a kill in $(since "$t")"
log "passed in $(since "$started")"
