#!/usr/bin/env bash
# What a user can try from their own terminal against another user and against the services.
# Every check prints one line: "<check> blocked" when the attempt failed, "<check> OPEN <evidence>"
# when it got through. Only "internet" should be OPEN. What to attack is in attack.env beside this
# script (written by the test, which knows where the other user's files and the services are):
#
#   OTHER_HOME, OTHER_WORKSPACE  the other user's home and workspace on the machine; each holds
#                                secret.txt, which holds OTHER_SECRET
#   SEARCH                       folders searched for OTHER_SECRET
#   API_DATA                     the api-service's data folder (keys, database)
#   PIDS                         name:pid pairs: the services and the other user's shell
#   TARGETS                      address:port pairs where the services listen
#   BUS                          address:port of the pty-service's event bus
#   OTHER_TERMINAL               the other user's terminal id, for a forged bus frame
#   OUTSIDE_URL                  an address standing in for the internet
#   PROCESS_LIMIT, MEMORY_LIMIT_MB  this user's limits
set -u -o pipefail
source "$(dirname "$0")/attack.env"

# attempt NAME COMMAND...: OPEN when the command succeeds and prints something.
attempt() {
  local name=$1 output
  shift
  if output=$("$@" 2>/dev/null | tr '\0' ' ') && [[ -n "$output" ]]; then
    echo "$name OPEN $(printf '%s' "$output" | head -c 80 | tr -c '[:print:]' ' ')"
  else
    echo "$name blocked"
  fi
}

# succeeds NAME COMMAND...: OPEN when the command succeeds, whatever it prints.
succeeds() {
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then echo "$name OPEN"; else echo "$name blocked"; fi
}

# --- Another user's files --------------------------------------------------------------------
attempt read-other-home cat "$OTHER_HOME/secret.txt"
attempt list-other-home ls -A "$OTHER_HOME"
attempt read-other-workspace cat "$OTHER_WORKSPACE/secret.txt"
attempt other-homes-here bash -c 'ls -A /home | grep -vx user'
# shellcheck disable=SC2086 # SEARCH lists folders.
attempt find-other-secret grep -rlsF --exclude='attack.*' -- "$OTHER_SECRET" $SEARCH

# --- The services' and the other user's processes -------------------------------------------
for entry in $PIDS; do
  name=${entry%%:*} pid=${entry#*:}
  attempt "environ-of-$name" cat "/proc/$pid/environ"
  attempt "cmdline-of-$name" cat "/proc/$pid/cmdline"
  succeeds "signal-$name" kill -0 "$pid"
  succeeds "ptrace-$name" python3 -c "import ctypes, sys; sys.exit(ctypes.CDLL(None).ptrace(16, $pid, 0, 0))"
  if command -v jcmd >/dev/null; then attempt "jcmd-$name" jcmd "$pid" VM.version; fi
done
attempt other-uids-in-ps bash -c "ps -eo uid= | sort -u | grep -vx ' *$(id -u)'"

# --- The services' ports, directly and through the egress proxy -----------------------------
for target in $TARGETS; do
  address=${target%:*} port=${target##*:}
  succeeds "connect-$target" timeout 3 bash -c "exec 3<>/dev/tcp/$address/$port"
  code=$(curl --noproxy '' -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$address:$port/")
  if [[ "$code" == 403 ]]; then echo "proxy-$target blocked"; else echo "proxy-$target OPEN $code"; fi
  succeeds "tunnel-$target" curl --noproxy '' -s -p --max-time 5 -o /dev/null "http://$address:$port/"
done

# A forged event-bus message: keystrokes for the other user's terminal, sent to the bus port.
frame="ccc.pty.terminal.$OTHER_TERMINAL.input touch $OTHER_WORKSPACE/forged"
succeeds bus-frame timeout 3 bash -c "printf '%s\n' '$frame' > /dev/tcp/${BUS%:*}/${BUS##*:}"

# --- The api-service's keys and database (one machine, one data folder) ---------------------
attempt read-api-private-key cat "$API_DATA/keys/jwt-private.pem"
attempt read-api-database head -c 64 "$API_DATA/ccc.sqlite"

# --- The internet: the one thing that must work ---------------------------------------------
attempt internet curl -sS --max-time 10 "$OUTSIDE_URL"

# --- Memory and namespaces of one's own -----------------------------------------------------
# Files in memory outside /tmp, whose size is set: bwrap's root and its folders are memory too.
attempt memory-files-outside-tmp bash -c 'for d in / /dev /run /home /workspaces /var; do
  touch "$d/.attack" 2>/dev/null && rm -f "$d/.attack" && echo "$d"; done'
# A user namespace inside: every capability over new mount and network namespaces.
succeeds nested-user-namespace unshare --user --map-root-user true

# --- Limits ---------------------------------------------------------------------------------
# Forks until refused, then lets the children go; "blocked" means refused before twice the limit.
attempt processes-past-limit python3 -c "
import os, signal, sys, time
children = []
try:
    for _ in range(2 * $PROCESS_LIMIT):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
    print(len(children), 'processes')
except OSError:
    pass
finally:
    for pid in children:
        os.kill(pid, signal.SIGKILL)
"
attempt memory-past-limit python3 -c "print(len(bytearray(($MEMORY_LIMIT_MB + 256) * 1024 * 1024)))"
