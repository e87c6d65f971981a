#!/bin/bash
# A full-screen program for ResumeAfterAbsenceTest: sets every mode a late viewer must get back,
# floods a scroll region of the alternate screen with coloured text (about 20 MB, more than the
# pty-service keeps in memory and on disk), then, each time a line is typed, draws more: phase 2
# (cursor, charsets, attributes), phase 3 (a full redraw at whatever size the terminal has now).
# Each phase ends with a marker and waits; nothing is echoed.
e=$'\e'
stty -echo
out() { printf '%s' "$1"; }
size=$(stty size)

out "${e}]2;producer: phase 1${e}\\"
out "${e}[?1049h${e}[?1h${e}=${e}[?2004h${e}[?1004h${e}[?1002h${e}[?1006h${e}[5 q${e}[?25l"
out "${e}[2J${e}[1;1H${e}[1;37;44m STATUS flooding ${e}[K${e}[0m"
out "${e}[3;20r"
block=""
for i in $(seq 0 47); do
  block+="${e}[20;1H${e}[3$((i % 8));4$(((i + 3) % 8))m line $i ─ 한글 ✓ ${e}[38;5;$((i * 5))m"
  block+="$(printf '%*s' $((i % 40 + 10)) '' | tr ' ' '=')${e}[0m${e}[K"$'\n'
done
for ((n = 0; n < ${FLOOD_BLOCKS:-4500}; n++)); do
  out "$block"
done
out "${e}[22;1H${e}[7m PHASE-ONE-DONE ${e}[0m"
read -r

out "${e}]2;producer: phase 2${e}\\"
out "${e}[6;10H${e}[1;33mphase two${e}[0m ${e}(0lqqqk${e}(B ${e}[4:3;58;5;9mcurly${e}[0m"
out "${e}[8;8H${e}7${e}[1;3H${e}[2 q${e}[?1003h${e}[?1002l"
out "${e}[20;1H"$'\n'"scrolled in the region"$'\n'"${e}[31mred from here"
out "${e}[23;1H${e}[0m PHASE-TWO-DONE "
read -r

# The size changes just before the line that starts this phase is typed; wait until it has.
for ((i = 0; i < 100; i++)); do
  [ "$(stty size)" != "$size" ] && break
  sleep 0.05
done
read -r rows cols < <(stty size)
out "${e}]2;producer: ${cols}x${rows}${e}\\"
out "${e}[r${e}[2J${e}[1;1H${e}[1;37;44m STATUS ${cols}x${rows} ${e}[K${e}[0m"
out "${e}[3;$((rows - 3))r"
for ((r = 3; r <= rows - 3; r++)); do
  out "${e}[${r};1H${e}[3$((r % 8))mrow $r of $rows ${e}[0m$(printf '%*s' $((cols - 20)) '' | tr ' ' '.')"
done
out "${e}8${e}[$((rows - 1));1H PHASE-THREE-DONE "
read -r
