#!/usr/bin/env bash
# Frame times of the real window under Xvfb (Mesa's software Vulkan, 1280x800, no vsync) with
# 1, 100, 1000, 3000 and 10000 sneks drawn 64x32 px, as a table (the median of three runs, with
# the range of the frame rate and the 99th-percentile frame); then the largest count that holds
# 60 frames per second, found by bisection to 10 sneks, each step the median of three runs. Peak
# resident memory comes with each row. BENCH_CANVAS_FROM=N paints sneks on their pixel-art canvas
# from N on (0: always; the app's own threshold when unset).
# Usage: scripts/bench_frames.sh [path/to/pomodouroboros] [SECONDS per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${2:-8}
. scripts/xvfb-lib.sh

# Prints "fps median_ms rss_mib p99_ms" for N sneks, one run.
once() {
    "$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" \
        --bench-sneks "$1" --bench-seconds "$seconds" ${BENCH_CANVAS_FROM:+--bench-canvas-from "$BENCH_CANVAS_FROM"} \
        2>"$work/log" |
        awk '/^bench / { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                         print v["fps"], v["median_frame_ms"], v["peak_rss_mib"], v["p99_frame_ms"] }'
}

# Prints "fps median_ms rss_mib fps_low fps_high p99_ms" for N sneks: the run of median frame rate,
# the lowest and highest rates of three, and that run's 99th-percentile frame.
run() {
    for _ in 1 2 3; do once "$1"; done | sort -g | awk '
        { fps[NR] = $1; ms[NR] = $2; rss[NR] = $3; p99[NR] = $4 }
        END { print fps[2], ms[2], rss[2], fps[1], fps[3], p99[2] }'
}

printf '%8s %10s %8s %14s %14s %8s\n' sneks median_ms fps fps_range peak_rss_mib p99_ms
best=0
worst=0
for n in 1 100 1000 3000 10000; do
    read -r fps ms rss low high p99 < <(run "$n")
    printf '%8s %10s %8s %14s %14s %8s\n' "$n" "$ms" "$fps" "$low-$high" "$rss" "$p99"
    if awk -v f="$fps" 'BEGIN { exit !(f >= 60) }'; then
        best=$n
    elif [ "$worst" = 0 ]; then
        worst=$n
    fi
done
if [ "$worst" = 0 ]; then
    echo "largest_count_at_60fps>=$best"
    exit 0
fi
lo=$best
hi=$worst
while [ $((hi - lo)) -gt 10 ]; do
    mid=$(( (lo + hi) / 2 / 10 * 10 ))
    [ "$mid" -le "$lo" ] && mid=$((lo + 10))
    read -r fps ms _ low high p99 < <(run "$mid")
    printf '%8s %10s %8s %14s %14s %8s\n' "$mid" "$ms" "$fps" "$low-$high" "" "$p99"
    if awk -v f="$fps" 'BEGIN { exit !(f >= 60) }'; then lo=$mid; else hi=$mid; fi
done
echo "largest_count_at_60fps=$lo"
