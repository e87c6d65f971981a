#!/usr/bin/env bash
# Builds the three images with Jib against a small Debian base made here (no Docker engine, no
# image registry), then starts each image's root filesystem under chroot, as a container runtime
# would: its own PID namespace (so its entrypoint is PID 1), the image's user, environment and
# working directory, a read-only root with a fresh volume on /data, one volume on /run/ccc shared
# by the three (the bus key's) and a tmpfs on /tmp, and one private network namespace shared by the
# three, where they form their cluster. It checks what the deployments rely on: every probe and
# health check of the deployment files, the metrics, the generated admin password and bus key, a
# session's shell and a command typed into it through the gateway's WebSocket, and a clean stop on
# SIGTERM. Needs root, debootstrap, Debian's python3 with yaml, and a JDK 17 with jmods.
#
#   deploy/images/smoke-test.sh [--keep]
#
# The base is cached under $CCC_IMAGE_CACHE (default ~/.cache/ccc-images), keyed by its recipe;
# --keep leaves the work folder (images, root filesystems, logs) for a look.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services=(pty-service api-service ws-gateway)

# The script runs twice: on the host to build, then inside the namespaces it made to run and check.
if [[ "${1:-}" == "--in-namespace" ]]; then
  phase=run
  work="$2"
else
  phase=build
  keep="${1:-}"
fi

now() { date +%s.%N; }
since() { awk -v from="$1" -v to="$(now)" 'BEGIN { printf "%.1f s", to - from }'; }
log() { printf '[smoke] %s\n' "$*"; }
die() { printf '[smoke] FAILED: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# The base: Debian bookworm minbase with the bases' packages (jvm- and pty-packages.txt), a jlinked
# Java 17 runtime in /opt/java, and the user 10001 owning /data and /run/ccc, as deploy/images/Dockerfile makes
# the real ones; Node.js and the agent CLIs are left out. One base serves the three images here.
# Packed in the layout of `docker save`, which Jib reads through tar://.
# ---------------------------------------------------------------------------------------------
packages() {
  grep -hv '^#' "$here/jvm-packages.txt" "$here/pty-packages.txt"
}

build_base() {
  local out=$1 root tmp layer diff_id
  local java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  [[ -d "$java_home/jmods" ]] || die "no jmods in $java_home; install a full JDK 17 (openjdk-17-jdk-headless)"
  "$java_home/bin/java" -version 2>&1 | grep -q '"17\.' || die "$java_home is not a JDK 17"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/ccc-base.XXXXXX")"
  root="$tmp/rootfs"
  log "debootstrap (Debian bookworm, minbase) into $root"
  debootstrap --variant=minbase --include="$(packages | paste -sd, -)" \
    bookworm "$root" "${CCC_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$tmp/debootstrap.log" 2>&1 \
    || { tail -20 "$tmp/debootstrap.log" >&2; die "debootstrap"; }
  log "jlink the Java 17 runtime into /opt/java"
  "$java_home/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs,jdk.naming.dns,jdk.net \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$root/opt/java"
  chroot "$root" groupadd --gid 10001 ccc
  chroot "$root" useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /bin/bash ccc
  install -d -o 10001 -g 10001 -m 0700 "$root/data" "$root/run/ccc"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/info
  # The runtime writes /etc/hosts and /etc/resolv.conf of a container; the build host's stay out.
  : >"$root/etc/resolv.conf"
  printf '127.0.0.1 localhost\n' >"$root/etc/hosts"

  log "pack the base as a docker-save tarball"
  mkdir -p "$tmp/image/layer"
  layer="$tmp/image/layer/layer.tar"
  (cd "$root" && tar --numeric-owner --sort=name --mtime=@0 -cf "$layer" -- $(ls -A))
  diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
  /usr/bin/python3 - "$tmp/image" "$diff_id" <<'EOF'
import hashlib, json, sys
folder, diff_id = sys.argv[1], sys.argv[2]
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": [
            "PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=/opt/java",
            "LANG=C.UTF-8",
        ],
        "User": "10001:10001",
        "WorkingDir": "/data",
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "deploy/images/smoke-test.sh: debootstrap minbase + jlink"}],
}
data = json.dumps(config, sort_keys=True).encode()
name = hashlib.sha256(data).hexdigest() + ".json"
open(f"{folder}/{name}", "wb").write(data)
manifest = [{"Config": name, "RepoTags": ["ccc-smoke/base:17"], "Layers": ["layer/layer.tar"]}]
open(f"{folder}/manifest.json", "w").write(json.dumps(manifest))
EOF
  (cd "$tmp/image" && tar -cf "$out.part" -- $(ls -A)) && mv "$out.part" "$out"
  rm -rf "$tmp"
}

# Unpacks a Jib image tarball (docker-save layout) into a root filesystem and writes the parts of
# its configuration the runner needs into $dir/{entrypoint,env,user,workdir,volumes}, one item a
# line.
unpack_image() {
  local tarball=$1 dir=$2
  mkdir -p "$dir/image" "$dir/rootfs"
  tar -C "$dir/image" -xf "$tarball"
  /usr/bin/python3 - "$dir" <<'EOF'
import json, os, subprocess, sys, tarfile
dir = sys.argv[1]
image = os.path.join(dir, "image")
manifest = json.load(open(os.path.join(image, "manifest.json")))[0]
for layer in manifest["Layers"]:
    path = os.path.join(image, layer)
    with tarfile.open(path) as archive:
        if any(os.path.basename(m.name).startswith(".wh.") for m in archive.getmembers()):
            sys.exit(f"{layer} deletes files (whiteouts); this runner does not apply those")
    subprocess.run(
        ["tar", "--numeric-owner", "--warning=no-unknown-keyword", "-C", os.path.join(dir, "rootfs"), "-xf", path],
        check=True)
config = json.load(open(os.path.join(image, manifest["Config"])))["config"]
def write(name, items):
    open(os.path.join(dir, name), "w").write("".join(item + "\n" for item in items))
write("entrypoint", (config.get("Entrypoint") or []) + (config.get("Cmd") or []))
write("env", config.get("Env") or [])
write("user", [config.get("User") or "0:0"])
write("workdir", [config.get("WorkingDir") or "/"])
write("volumes", sorted((config.get("Volumes") or {}).keys()))
EOF
}

if [[ "$phase" == build ]]; then
  started=$(now)
  ((EUID == 0)) || die "run as root (debootstrap, chroot and namespaces need it)"
  for tool in debootstrap unshare chroot curl ip; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install debootstrap util-linux curl iproute2)"
  done
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || die "Debian's python3 lacks yaml (apt-get install python3-yaml)"
  cache="${CCC_IMAGE_CACHE:-$HOME/.cache/ccc-images}"
  mkdir -p "$cache"
  # A base, the three images and their unpacked root filesystems take about 1.5 GB.
  free_kb=$(df --output=avail -k "$cache" | tail -1)
  ((free_kb > 3000000)) || die "less than 3 GB free under $cache"
  # Keyed by the recipe and the package list, so that changing either builds a new base.
  base="$cache/base-$( (declare -f build_base; packages) | sha256sum | cut -c1-16).tar"
  if [[ -f "$base" ]]; then
    log "base: cached $base"
  else
    t=$(now)
    build_base "$base"
    log "base: built $base ($(du -h "$base" | cut -f1)) in $(since "$t")"
  fi

  t=$(now)
  log "Jib: building the three images against the base"
  (cd "$repo" && ./mvnw -B -q -Pimages package -DskipTests \
    -pl pty-service,ws-gateway,api-service -am \
    -Dccc.image.jvm-base="tar://$base" -Dccc.image.pty-base="tar://$base") \
    || die "the image build"
  log "images built in $(since "$t")"

  work="$(mktemp -d "${TMPDIR:-/tmp}/ccc-smoke.XXXXXX")"
  [[ "$keep" == --keep ]] || trap 'rm -rf "$work"' EXIT
  t=$(now)
  for service in "${services[@]}"; do
    image="$repo/$service/target/jib-image.tar"
    [[ -f "$image" ]] || die "no image at $image"
    log "$service: $(du -h "$image" | cut -f1) image, unpacking"
    unpack_image "$image" "$work/$service"
  done
  log "unpacked in $(since "$t")"
  unshare --net --mount --propagation private -- "$0" --in-namespace "$work"
  log "passed in $(since "$started")"
  [[ "$keep" == --keep ]] && log "kept $work"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# In a private network and mount namespace: start the three as containers would and check them.
# ---------------------------------------------------------------------------------------------
ip link set lo up
declare -A pid_of

# Whatever happens, nothing started here outlives the check: killing the PID 1 of a service's
# namespace kills every process in it. (unshare's --kill-child cannot do it: changing to the
# image's user clears the parent-death signal.)
stop_all() {
  [[ -z "${outside_server:-}" ]] || kill "$outside_server" 2>/dev/null || true
  [[ -z "${outside:-}" ]] || ip netns del "$outside" 2>/dev/null || true
  for service in "${!pid_of[@]}"; do
    pid=$(entry_pid "$service")
    [[ -z "$pid" ]] || kill -KILL "$pid" 2>/dev/null || true
  done
  wait
}
trap stop_all EXIT

# Settings a compose file or a Kubernetes manifest would give; the images bring the rest. The
# three share this namespace's loopback, so each needs its own Hazelcast port from the range.
deployment_env() {
  local service=$1
  echo "CCC_CLUSTER_NAME=ccc-smoke"
  echo "CCC_CLUSTER_MEMBERS=api-service,ws-gateway,pty-service"
  echo "CCC_CLUSTER_HOST=$service"
  echo "CCC_CLUSTER_PORT_COUNT=3"
  echo "CCC_BUS_KEY_FILE=/run/ccc/bus.key"
  [[ "$service" == ws-gateway ]] && echo "CCC_GATEWAY_ALLOWED_ORIGINS=http://localhost:8080"
  # Limits low enough for the attack below to reach them quickly.
  if [[ "$service" == pty-service ]]; then
    echo "CCC_PTY_USER_MAX_PROCESSES=$process_limit"
    echo "CCC_PTY_PROCESS_MAX_MEMORY_MB=$memory_limit_mb"
  fi
  return 0
}
process_limit=128
memory_limit_mb=512

# The capabilities the compose file adds to a service, as setpriv's ",+name" list.
compose_capabilities() {
  /usr/bin/python3 - "$repo/docker-compose.yml" "$1" <<'EOF'
import sys, yaml
service = yaml.safe_load(open(sys.argv[1]))["services"][sys.argv[2]]
print("".join(",+" + cap.lower() for cap in service.get("cap_add", [])))
EOF
}

# The root filesystem read-only, a fresh volume on each of the image's volumes (starting, as
# Docker's do, as a copy of what the image has there: its owner, its mode, its files), a tmpfs on
# /tmp, the host's /dev: what the compose file and the Kubernetes manifests give a container.
start() {
  local service=$1 dir="$work/$1" root="$work/$1/rootfs" volume
  mkdir -p "$work/logs"
  printf '127.0.0.1 localhost api-service ws-gateway pty-service\n' >"$root/etc/hosts"
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  # Recursively, so that /dev/pts comes along: the terminals' PTYs are made there.
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  while read -r path; do
    volume="$work/volumes/$service$path"
    mkdir -p "$volume"
    cp -a "$root$path/." "$volume/"
    chown --reference="$root$path" "$volume"
    chmod --reference="$root$path" "$volume"
    mount --bind "$volume" "$root$path"
  done <"$dir/volumes"
  # The bus key's volume, one for the three as in docker-compose.yml: it starts as the image's
  # /run/ccc (owner and mode), and whichever service comes first generates the key in it.
  if [[ ! -d "$work/volumes/bus-key" ]]; then
    mkdir -p "$work/volumes/bus-key"
    chown --reference="$root/run/ccc" "$work/volumes/bus-key"
    chmod --reference="$root/run/ccc" "$work/volumes/bus-key"
  fi
  mount --bind "$work/volumes/bus-key" "$root/run/ccc"
  mapfile -t entrypoint <"$dir/entrypoint"
  mapfile -t env < <(cat "$dir/env"; deployment_env "$service")
  IFS=: read -r uid gid <"$dir/user"
  # unshare forks PID 1 of a new PID and mount namespace; there the image's root becomes the root
  # as a container runtime makes it, by pivot_root rather than chroot (the kernel refuses user
  # namespaces, which the pty-service's sandboxes need, to a chrooted process), with a /proc of
  # its own. Then setpriv becomes the image's user with only the capabilities the compose file
  # adds and no way to gain more (no-new-privileges), and env execs the entrypoint in the working
  # directory with exactly the image's variables.
  unshare --pid --fork --mount --propagation private -- /bin/bash -c '
      set -e
      cd "$1" && shift
      mount -t proc proc proc
      pivot_root . .
      umount -l .
      exec "$@"' pivot "$root" \
    /usr/bin/setpriv --reuid="$uid" --regid="$gid" --clear-groups --inh-caps=-all \
    --bounding-set="-all$(compose_capabilities "$service")" --no-new-privs -- \
    /usr/bin/env -i --chdir="$(cat "$dir/workdir")" "${env[@]}" "${entrypoint[@]}" \
    >"$work/logs/$service.log" 2>&1 &
  pid_of[$service]=$!
}

await_ok() {
  local what=$1 url=$2 since_start=$3
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      log "$what answered $url in $(since "$since_start")"
      return 0
    fi
    for service in "${services[@]}"; do
      kill -0 "${pid_of[$service]}" 2>/dev/null || { tail -30 "$work/logs/$service.log" >&2; die "$service exited"; }
    done
    sleep 0.5
  done
  for service in "${services[@]}"; do tail -15 "$work/logs/$service.log" >&2; done
  die "$what did not answer $url"
}

# The PID (in this namespace) of the process a service's entrypoint became: the forked child of
# its unshare, PID 1 of the service's own PID namespace.
entry_pid() {
  { pgrep -P "${pid_of[$1]}" || true; } | head -1
}

# The api-service's REST API as the admin: METHOD PATH BODY; prints the answer.
api() {
  api_as "$token" "$@"
}

# The REST API with another access token: TOKEN METHOD PATH BODY.
api_as() {
  curl -fsS -X "$2" -H "authorization: Bearer $1" -H 'content-type: application/json' \
    ${4:+-d "$4"} "http://127.0.0.1:8080$3"
}

# One field of the JSON object on standard input.
json() {
  /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# Like expect_metric, for a value the service updates by itself a little later.
await_metric() {
  for _ in $(seq 1 50); do
    grep -Eq "$2" <<<"$(curl -fsS "http://127.0.0.1:$1/metrics")" && return 0
    sleep 0.5
  done
  die "no metric matching '$2' on port $1"
}

expect_metric() {
  local port=$1 pattern=$2 text
  text=$(curl -fsS "http://127.0.0.1:$port/metrics") || die "no metrics on port $port"
  grep -Eq "$pattern" <<<"$text" || die "no metric matching '$pattern' on port $port"
}

# The pid of a bash running as a uid of at least $1, and of at most $2 if given: a user's shell.
shell_of_uid_at_least() {
  ps -eo pid=,uid=,comm= | awk -v least="$1" -v most="${2:-4294967295}" \
    '$3 == "bash" && $2 >= least && $2 <= most {print $1; exit}'
}

# A user with a running shell: prints "ID TOKEN TERMINAL".
user_with_a_shell() {
  local name=$1 id user_token workspace session terminal
  id=$(api POST /api/users "{\"username\":\"$name\",\"password\":\"smoke-test-password\",\"role\":\"user\"}" | json id) \
    || die "creating the user $name"
  user_token=$(curl -fsS -H 'content-type: application/json' \
    -d "{\"username\":\"$name\",\"password\":\"smoke-test-password\"}" \
    http://127.0.0.1:8080/api/auth/login | json accessToken) || die "logging in as $name"
  workspace=$(api_as "$user_token" POST /api/workspaces '{"name":"work"}' | json id) || die "a workspace of $name"
  session=$(api_as "$user_token" POST /api/sessions "{\"workspaceId\":\"$workspace\",\"name\":\"main\"}" | json id) \
    || die "a session of $name"
  terminal=$(api_as "$user_token" POST "/api/sessions/$session/start" '{"cols":120,"rows":40}' \
    | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["terminals"][0])') \
    || die "starting the session of $name"
  echo "$id $user_token $terminal $session $workspace"
}

# Types COMMAND into the terminal of a user (TOKEN TERMINAL COMMAND) and waits until it is done.
type_as() {
  local ticket
  ticket=$(api_as "$1" POST /api/auth/ws-ticket '{}' | json ticket) || die "a WebSocket ticket"
  java "$here/TerminalProbe.java" ws://127.0.0.1:8081/ws http://localhost:8080 "$ticket" "$2" "$3" >/dev/null \
    || die "typing '$3' into a terminal; see $work/logs"
}

# The end-to-end test's attack (e2e-tests/.../isolation/attack.sh), run from a second user's
# terminal against the first user and the three images: only the internet, an HTTP server in a
# network namespace standing in for it, may answer. Then the second user's session is stopped and
# nothing of it may be left.
attack_from_a_second_user() {
  local alice bob secret home report jvm bus targets pids uid
  read -r -a alice < <(user_with_a_shell alice)
  read -r -a bob < <(user_with_a_shell bob)
  secret="secret-$RANDOM$RANDOM"
  type_as "${alice[1]}" "${alice[2]}" "echo $secret | tee ~/secret.txt > secret.txt"

  # The namespace's file is made on the machine's /run/netns: named for this run, removed on exit.
  outside="ccc-outside-$$"
  ip netns add "$outside"
  ip link add ccc-out type veth peer name ccc-in
  ip link set ccc-in netns "$outside"
  ip addr add 203.0.113.254/24 dev ccc-out
  ip link set ccc-out up
  ip netns exec "$outside" ip addr add 203.0.113.1/24 dev ccc-in
  ip netns exec "$outside" ip link set ccc-in up
  mkdir -p "$work/outside" && printf outside-ok >"$work/outside/index.html"
  ip netns exec "$outside" /usr/bin/python3 -m http.server 8000 --bind 203.0.113.1 \
    --directory "$work/outside" >/dev/null 2>&1 &
  outside_server=$!
  for _ in $(seq 1 50); do curl -fs http://203.0.113.1:8000/ >/dev/null && break; sleep 0.1; done

  jvm=$(pgrep -P "$(entry_pid pty-service)" -x java)
  bus=$(ss -Hltnp | grep "pid=$jvm," | awk '{print $4}' | sed 's/^\*/127.0.0.1/; s/^\[::ffff:\(.*\)\]/\1/' \
    | grep -Ev ':(9002|570[0-9])$' | head -1)
  targets=$(ss -Hltn | awk '{print $4}' | sed 's/^\*/127.0.0.1/; s/^0\.0\.0\.0/127.0.0.1/; s/^\[::ffff:\(.*\)\]/\1/' \
    | grep -v '^\[' | sort -u | tr '\n' ' ')
  pids="pty-service:$jvm api-service:$(entry_pid api-service) ws-gateway:$(entry_pid ws-gateway)"
  uid=$(stat -c %u "$work/volumes/pty-service/data/homes/${alice[0]}")
  pids+=" other-shell:$(shell_of_uid_at_least "$uid" "$uid")"
  home="$work/volumes/pty-service/data/homes/${bob[0]}"
  install -m 0644 "$repo/e2e-tests/src/test/resources/isolation/attack.sh" "$home/attack.sh"
  cat >"$home/attack.env" <<EOF
OTHER_HOME=/data/homes/${alice[0]}
OTHER_WORKSPACE=/data/workspaces/${alice[0]}/${alice[4]}
OTHER_SECRET=$secret
SEARCH='/home /workspaces /tmp /run /data'
OTHER_TERMINAL=${alice[2]}
API_DATA=/data
PIDS='$pids'
TARGETS='$targets 203.0.113.254:8000'
BUS=$bus
OUTSIDE_URL=http://203.0.113.1:8000/
PROCESS_LIMIT=$process_limit
MEMORY_LIMIT_MB=$memory_limit_mb
EOF
  type_as "${bob[1]}" "${bob[2]}" "bash ~/attack.sh > ~/attack.report 2>&1"
  report=$(grep -v ' blocked$' "$home/attack.report")
  [[ "$report" == "internet OPEN outside-ok" ]] \
    || { cat "$home/attack.report" >&2; die "the second user reached more than the internet"; }
  log "from a second user's terminal: $(grep -c ' blocked$' "$home/attack.report") attacks on the other user and the services blocked, the internet reached"

  uid=$(stat -c %u "$home")
  type_as "${bob[1]}" "${bob[2]}" "env -i setsid sleep 1000 </dev/null >/dev/null 2>&1 & nohup sleep 1001 >/dev/null 2>&1 & disown -a"
  for _ in $(seq 1 50); do pgrep -u "$uid" -x sleep >/dev/null && break; sleep 0.1; done
  pgrep -u "$uid" -x sleep >/dev/null || die "the escaping processes did not start"
  api_as "${bob[1]}" POST "/api/sessions/${bob[3]}/stop" '' >/dev/null || die "stopping the second user's session"
  for _ in $(seq 1 50); do pgrep -u "$uid" >/dev/null || break; sleep 0.1; done
  ! pgrep -u "$uid" >/dev/null || die "processes of a stopped session are still running: $(pgrep -u "$uid" -a)"
  log "a stopped session leaves nothing running, not even what left its terminal's session"
  kill "$outside_server"
}

t0=$(now)
for service in "${services[@]}"; do start "$service"; done
await_ok "pty-service" "http://127.0.0.1:9002/health/ready" "$t0"
await_ok "api-service" "http://127.0.0.1:8080/q/health/ready" "$t0"
await_ok "ws-gateway" "http://127.0.0.1:8081/health/ready" "$t0"
await_ok "ws-gateway's management port" "http://127.0.0.1:9001/health/ready" "$t0"

for service in "${services[@]}"; do
  pid=$(entry_pid "$service")
  [[ -n "$pid" ]] || die "$service has no entrypoint process"
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
  capabilities=$(awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
  nspid=$(awk '/^NSpid:/ {print $NF}' "/proc/$pid/status")
  comm=$(cat "/proc/$pid/comm")
  if [[ "$service" == pty-service ]]; then
    # CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID and SETUID: bits 0, 1, 3, 5, 6 and 7.
    ((uid == 0)) && [[ "$capabilities" == 00000000000000eb ]] \
      || die "$service runs as uid $uid with capabilities $capabilities"
  else
    ((uid == 10001)) && [[ "$capabilities" == 0000000000000000 ]] \
      || die "$service runs as uid $uid with capabilities $capabilities"
  fi
  ((nspid == 1)) || die "$service's entrypoint is not PID 1 of its namespace"
  log "$service: PID 1 of its namespace is $comm, uid $uid, capabilities $capabilities"
done
[[ "$(cat "/proc/$(entry_pid pty-service)/comm")" == tini ]] || die "the pty-service's PID 1 is not tini"

# Every probe of the Kubernetes manifests and every health check of the compose file, against the
# running images; the three use distinct ports, so each port names its service.
/usr/bin/python3 - "$repo" >"$work/probes" <<'EOF'
import glob, sys, urllib.parse, yaml
repo = sys.argv[1]
for manifest in sorted(glob.glob(f"{repo}/deploy/kubernetes/*.yaml")):
    for doc in yaml.safe_load_all(open(manifest)):
        if doc and doc["kind"] in ("Deployment", "StatefulSet"):
            container = doc["spec"]["template"]["spec"]["containers"][0]
            ports = {port["name"]: port["containerPort"] for port in container["ports"]}
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                get = container[probe]["httpGet"]
                print(f"{container['name']}:{probe} {ports.get(get['port'], get['port'])} {get['path']}")
compose = yaml.safe_load(open(f"{repo}/docker-compose.yml"))
for name, service in compose["services"].items():
    url = urllib.parse.urlsplit(service["healthcheck"]["test"][-1])
    print(f"{name}:compose-healthcheck {url.port} {url.path}")
EOF
while read -r what port path; do
  curl -fsS -o /dev/null "http://127.0.0.1:$port$path" || die "$what: $path on port $port"
done <"$work/probes"
log "all $(wc -l <"$work/probes") probes and health checks of the deployment files answer"

for tool in tini bash git rg jq python3 curl; do
  [[ -n "$(chroot "$work/pty-service/rootfs" /usr/bin/env PATH=/usr/bin:/bin sh -c "command -v $tool")" ]] \
    || die "the pty-service's image lacks $tool"
done

expect_metric 9002 '^ccc_cluster_members 3\.0'
expect_metric 9002 '^ccc_pty_terminals 0\.0'
expect_metric 9002 '^ccc_pty_output_bytes_total 0\.0'
expect_metric 9001 '^ccc_gateway_sockets 0\.0'
expect_metric 9001 '^ccc_gateway_output_bytes_total 0\.0'
expect_metric 9001 '^ccc_bus_request_seconds_count\{address="ccc.auth.public-key",outcome="ok"\}'
expect_metric 9000 '^ccc_auth_login_failures_total\{reason="invalid_credentials"\}'
log "metrics: cluster of 3, terminals, bytes, sockets, login failures, bus round trips"

password_file="$work/volumes/api-service/data/initial-admin-password"
[[ "$(stat -c '%u %a' "$password_file")" == "10001 600" ]] \
  || die "the generated admin password is not an owner-only file of uid 10001"
token=$(curl -fsS -H 'content-type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$(cat "$password_file")\"}" \
  http://127.0.0.1:8080/api/auth/login | json accessToken) \
  || die "logging in with the generated admin password failed"
log "the admin logs in with the password generated into the /data volume (mode 600, uid 10001)"
[[ -f "$work/volumes/api-service/data/keys/jwt-private.pem" ]] || die "the api-service's keys are not on its volume"
[[ "$(stat -c '%a' "$work/volumes/pty-service/data")" == 711 ]] \
  || die "users' sandboxes cannot pass through the pty-service's volume to their folders"
bus_key="$work/volumes/bus-key/bus.key"
[[ "$(stat -c '%u %a' "$bus_key")" == "10001 600" ]] \
  || die "the bus key is not an owner-only file of uid 10001 on the shared volume"
! grep -rqF "$(cat "$bus_key")" "$work/logs" || die "a service logged the bus key"
log "the three share one bus key, generated into their shared volume (mode 600, uid 10001), never logged"

# A session through the REST API: a workspace folder on the pty-service's volume, a shell in a PTY
# (pty4j's native part must load from a read-only image), counted by the metrics.
workspace=$(api POST /api/workspaces '{"name":"smoke"}' | json id) || die "creating a workspace"
session=$(api POST /api/sessions "{\"workspaceId\":\"$workspace\",\"name\":\"smoke\"}" | json id) \
  || die "creating a session"
state=$(api POST "/api/sessions/$session/start" '{"cols":100,"rows":30}' | json state) \
  || die "starting the session; see the pty-service's log in $work/logs"
[[ "$state" == running ]] || die "the session is $state"
shell=$(shell_of_uid_at_least 20000)
[[ -n "$shell" ]] || die "no shell runs as a user's own uid"
jvm=$(pgrep -P "$(entry_pid pty-service)" -x java)
[[ "$(readlink "/proc/$shell/ns/user")" != "$(readlink "/proc/$jvm/ns/user")" ]] \
  && [[ "$(readlink "/proc/$shell/ns/net")" != "$(readlink "/proc/$jvm/ns/net")" ]] \
  || die "the shell is not in a sandbox of its own"
[[ "$(readlink "/proc/$shell/cwd")" == /workspaces/* ]] || die "the shell runs outside its workspace"
! tr '\0' '\n' <"/proc/$shell/environ" | grep -q '^CCC_' || die "the shell got the service's settings"
expect_metric 9002 '^ccc_pty_terminals 1\.0'
expect_metric 9002 '^ccc_pty_isolation\{level="sandboxed"\} 1\.0'
await_metric 9000 '^ccc_sessions\{state="running"\} 1\.0'
log "a session starts a shell in a sandbox, as a uid of its own, in its workspace, without the service's settings; metrics count it"

# The browser's way in: a ticket from the api-service, the gateway's WebSocket, the shell's answer.
terminal=$(api GET "/api/sessions/$session" '' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["terminals"][0])') \
  || die "reading the session's terminal"
ticket=$(api POST /api/auth/ws-ticket '{}' | json ticket) || die "getting a WebSocket ticket"
java "$here/TerminalProbe.java" ws://127.0.0.1:8081/ws http://localhost:8080 "$ticket" "$terminal" >/dev/null \
  || die "typing into the terminal through the gateway's WebSocket; see $work/logs"
await_metric 9001 '^ccc_gateway_output_bytes_total [1-9]'
log "a command typed through the gateway's WebSocket is answered by the shell"

api POST "/api/sessions/$session/stop" '' >/dev/null || die "stopping the session"
await_metric 9002 '^ccc_pty_terminals 0\.0'

attack_from_a_second_user

for service in ws-gateway api-service pty-service; do
  t=$(now)
  kill -TERM "$(entry_pid "$service")"
  wait "${pid_of[$service]}" || true
  log "$service stopped on SIGTERM in $(since "$t")"
done
for service in ws-gateway pty-service; do
  grep -q "$service stopping" "$work/logs/$service.log" || die "the $service did not shut down cleanly"
done
