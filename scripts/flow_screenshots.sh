#!/usr/bin/env bash
# Replays issue #14's "designer's day" in the real window and writes the screenshots of
# docs/designers-day.md: File → New, two racks, a ToR switch, 16 servers, auto-wire, layout
# properties, rename by scheme, labels, the PDF report and the NetBox import set.
#
# Needs Xvfb, xdotool and ImageMagick (the README's GUI-check packages) and a display at
# 1440 x 900 with no window manager:  Xvfb :91 -screen 0 1440x900x24 &  then
#   DISPLAY=:91 bash scripts/flow_screenshots.sh /tmp/flow
# Clicks are at fixed places of the first-start layout (the app runs with settings of its
# own), so a change to the window's layout means new coordinates here. It writes into OUT
# only; the layout it saves there is a scratch file.
set -u
OUT=${1:-/tmp/flow}; mkdir -p "$OUT"; rm -rf "${OUT:?}"/*
PY=${PYTHON:-.venv/bin/python}
R() { python3 -c "print(round($1*1440/1389), round($2*1440/1389))"; }  # screenshot-at-1389 coordinates to the screen's
click() { read -r x y < <(R "$1" "$2"); xdotool mousemove "$x" "$y" click 1; sleep "${3:-0.7}"; }
drag() {
  read -r x1 y1 < <(R "$1" "$2"); read -r x2 y2 < <(R "$3" "$4")
  xdotool mousemove "$x1" "$y1" mousedown 1; sleep 0.3; xdotool mousemove $((x1 + 10)) $((y1 + 5)); sleep 0.2
  xdotool mousemove $(((x1 + x2) / 2)) $(((y1 + y2) / 2)); sleep 0.2; xdotool mousemove "$x2" "$y2"; sleep 0.4
  xdotool mouseup 1; sleep 1.2
}
shot() { import -window root "$OUT/$1.png"; }
key() { xdotool key "$@"; sleep 0.7; }
fill() { click "$1" "$2" 0.3; xdotool key ctrl+a; xdotool type --delay 15 "$3"; sleep 0.3; }

# A first start of its own: settings and recovery copies in fresh folders, the designer's left alone.
XDG_CONFIG_HOME=$(mktemp -d) XDG_STATE_HOME=$(mktemp -d)
export XDG_CONFIG_HOME XDG_STATE_HOME
"$PY" main.py > "$OUT/app.log" 2>&1 &
APP=$!; sleep 7
click 18 8; click 45 28 2; shot flow-1-new                          # File → New
click 440 34 1.2; click 440 34 1.2                                   # Add Rack, twice
click 338 200                                                        # select R01 (Add Rack brought both into view)
drag 130 523 914 175                                                 # the ToR switch onto R01's rear face
drag 130 378 750 220                                                 # a 1U server onto R01's front
key ctrl+c; for _ in 1 2 3 4 5 6 7; do key ctrl+v; done             # seven more in R01
click 413 200; for _ in 1 2 3 4 5 6 7 8; do key ctrl+v; done        # eight in R02
shot flow-2-racks
sleep 1.5; click 450 560; key Escape                                     # nothing selected: the whole layout
click 182 8; click 255 28 1.5; shot flow-3-autowire                 # Tools → Auto-wire Top-of-Rack
key Return; sleep 2; shot flow-4-wired
click 18 8; click 67 269 1.5                                         # File → Properties
fill 712 184 "GPU pod 1"; fill 712 211 "AMS1"; fill 712 238 "DH2"; fill 712 265 "A. Designer"; fill 712 292 "B"
click 712 346 0.4; fill 750 413 "{hall}-GPU{rack:02}"; fill 750 546 "{hall}-C{cable:04}"; shot flow-5-properties
click 756 632 1
click 54 8; click 128 225 1.5; click 576 377 1; shot flow-6-rename-dialog   # Edit → Rename by Scheme, cables too
click 741 531 1.5; click 338 200; shot flow-7-renamed
key ctrl+s; xdotool key ctrl+a; xdotool type --delay 15 "$OUT/pod1.json"; key Return; sleep 1
click 18 8; click 72 202 1.5; click 718 347; click 660 369; shot flow-8-labels   # File → Print Labels: Avery L7160
click 721 441 1.5; key Return; sleep 2                               # Save as PDF
click 18 8; click 99 180 1.5; key Return; sleep 4                    # File → Export Report as PDF
click 18 8; click 51 225 1; click 395 267 1.5; key Return; sleep 2; shot flow-9-netbox   # Export → NetBox import set
key Return
kill "$APP" 2>/dev/null
pdftoppm -r 70 -f 1 -l 1 -png "$OUT/GPU pod 1-report.pdf" "$OUT/report"
pdftoppm -r 70 -f 1 -l 1 -png "$OUT/GPU pod 1-labels.pdf" "$OUT/labels"
ls "$OUT"
