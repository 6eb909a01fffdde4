#!/usr/bin/env bash
# CPU share of the idle window (no sneks) under Xvfb with Mesa's software Vulkan: unfocused, then
# focused. Prints the start-up time the app logs, then `unfocused_cpu_percent=… focused_cpu_percent=…`
# (percent of one core, averaged over SECONDS, default 60).
# Usage: scripts/bench_power.sh [path/to/pomodouroboros] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
seconds=${2:-60}
if [ -z "$bin" ]; then
    cargo build --release --locked
    bin=target/release/pomodouroboros
fi
work=$(mktemp -d)
display=:$((60 + RANDOM % 10))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
export DISPLAY=$display XDG_RUNTIME_DIR=$work
sleep 1
"$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" >"$work/log" 2>&1 &
app=$!
for _ in $(seq 150); do grep -q "first frame presented" "$work/log" && break; sleep 0.2; done
grep -o "first frame presented .*" "$work/log" || true

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$app/stat"; }
measure() {
    local before after
    before=$(cpu_ticks)
    sleep "$seconds"
    after=$(cpu_ticks)
    awk -v t=$((after - before)) -v hz="$ticks" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}
sleep 3
unfocused=$(measure)
xdotool windowfocus "$(xdotool search --name Pomodouroboros | head -1)"
sleep 3
focused=$(measure)
kill "$app"
echo "unfocused_cpu_percent=$unfocused focused_cpu_percent=$focused seconds=$seconds"
