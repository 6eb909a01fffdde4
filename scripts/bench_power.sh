#!/usr/bin/env bash
# CPU share of the idle window (no sneks) under Xvfb with Mesa's software Vulkan: unfocused, then
# focused, then minimised (under a window manager, openbox, started for that step). Prints the
# start-up time the app logs, then
# `unfocused_cpu_percent=… focused_cpu_percent=… minimised_cpu_percent=…`
# (percent of one core, averaged over SECONDS, default 60).
# Usage: scripts/bench_power.sh [path/to/pomodouroboros] [SECONDS] [APP ARGUMENTS, e.g. --mini]
# BENCH_SERVICES=1 starts a notification server and a sound server for the app to reach;
# BENCH_SETTINGS='notifications: false, sound: false' turns them off (any settings.ron fields).
# BENCH_DAY=work (the default) runs an ordinary 8-hour work day with now inside it, BENCH_DAY=test a
# three-minute test day; BENCH_ONLY=unfocused measures that state alone (for long runs:
# `BENCH_ONLY=unfocused scripts/bench_power.sh "" 600`), BENCH_ONLY=focused the focused window alone;
# BENCH_WAIT=S waits S seconds before measuring (default 3: e.g. 65 to measure a window that has
# gone "away from the keyboard" after `away_minutes: 1`); BENCH_SNEKS=N puts N sneks on screen first.
# BENCH_OVERLAY=bar|ring turns the overlay on under xcompmgr (see xvfb-lib.sh); the compositor's
# own CPU share is printed too (compositor_cpu_percent), and BENCH_SCREEN=1920x1080 sets the screen.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${2:-60}
app_args=("${@:3}")
. scripts/xvfb-lib.sh
start_services
start_app "${app_args[@]}"
grep -o "first frame presented .*" "$work/log" || true

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/${1:-$app}/stat"; }
compositor_share=none
measure() {
    local before after comp_before=0 comp_after=0
    before=$(cpu_ticks)
    if [ -n "$compositor" ]; then comp_before=$(cpu_ticks "$compositor"); fi
    sleep "$seconds"
    after=$(cpu_ticks)
    if [ -n "$compositor" ]; then
        comp_after=$(cpu_ticks "$compositor")
        compositor_share=$(awk -v t=$((comp_after - comp_before)) -v hz="$ticks" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }')
    fi
    awk -v t=$((after - before)) -v hz="$ticks" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}
if [ "${BENCH_ONLY:-}" = focused ]; then
    xdotool windowfocus "$window"
    sleep "${BENCH_WAIT:-3}"
    echo "focused_cpu_percent=$(measure) seconds=$seconds day=${BENCH_DAY:-work} sneks=${BENCH_SNEKS:-0} overlay=${BENCH_OVERLAY:-off}"
    exit 0
fi
sleep "${BENCH_WAIT:-3}"
measure >"$work/share"
unfocused=$(cat "$work/share")
if [ "${BENCH_ONLY:-}" = unfocused ]; then
    echo "unfocused_cpu_percent=$unfocused seconds=$seconds day=${BENCH_DAY:-work} sneks=${BENCH_SNEKS:-0} overlay=${BENCH_OVERLAY:-off} compositor_cpu_percent=$compositor_share"
    exit 0
fi
xdotool windowfocus "$window"
sleep 3
focused=$(measure)
if command -v openbox >/dev/null 2>&1; then
    openbox >/dev/null 2>&1 &
    wm=$!
    sleep 2
    xdotool windowminimize "$window"
    sleep 3
    minimised=$(measure)
    kill "$wm"
else
    echo "bench_power.sh: no openbox (apt-get install openbox), so no minimised figure" >&2
    minimised=none
fi
kill "$app"
app=
echo "unfocused_cpu_percent=$unfocused focused_cpu_percent=$focused minimised_cpu_percent=$minimised seconds=$seconds day=${BENCH_DAY:-work}"
if [ "${BENCH_SERVICES:-}" = 1 ]; then
    echo "notifications_sent=$(grep -c 'notification: ' "$work/log" || true) chimes=$(grep -c 'sound: .* chime' "$work/log" || true)"
fi
