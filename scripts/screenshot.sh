#!/usr/bin/env bash
# Makes docs/screenshot.png: the app on a --test-day under Xvfb, with sneks, an achieved intention
# and a plan. Needs xvfb, xdotool, imagemagick and a Vulkan driver (./test.sh installs them).
# Usage: scripts/screenshot.sh [path/to/pomodouroboros]   (default: builds and uses the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --locked
    bin=target/release/pomodouroboros
fi
work=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
display=:$((80 + RANDOM % 10))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display XDG_RUNTIME_DIR=$work
sleep 1
# A plan first, so the next pomodoro has something queued.
"$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" plan "review the snake's bite" >/dev/null
"$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" >"$work/log" 2>&1 &
app=$!
for _ in $(seq 100); do grep -q "first frame presented" "$work/log" && break; sleep 0.2; done
window=$(xdotool search --name Pomodouroboros | head -1)
xdotool windowfocus "$window"
xdotool key --delay 100 s S s S s
xdotool key i; sleep 0.5
xdotool type --delay 30 "draw the ouroboros"; xdotool key Return; sleep 0.3
xdotool key 1
sleep 6
import -window root docs/screenshot.png
xdotool key q
wait $app
echo "wrote docs/screenshot.png"
