#!/usr/bin/env bash
# Makes docs/screenshot.png: the app on a --test-day under Xvfb, with sneks, an achieved intention
# and a plan. Needs xvfb, xdotool, imagemagick and a Vulkan driver (./test.sh installs them).
# Usage: scripts/screenshot.sh [path/to/pomodouroboros]   (default: builds and uses the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb-lib.sh
# A plan first, so the next pomodoro has something queued.
"$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" plan "review the snake's bite" >/dev/null
BENCH_DAY=test start_app
xdotool windowfocus "$window"
xdotool key --delay 100 s S s S s
xdotool key i; sleep 0.5
xdotool type --delay 30 "draw the ouroboros"; xdotool key Return; sleep 0.3
xdotool key 1
sleep 6
import -window "$window" docs/screenshot.png
xdotool key q
wait $app
app=
echo "wrote docs/screenshot.png"
