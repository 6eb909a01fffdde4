#!/usr/bin/env bash
# Frame times of the real window under Xvfb (Mesa's software Vulkan, 1280x800, no vsync) with
# 1, 100, 1000, 3000 and 10000 sneks drawn 64x32 px, as a table; then the largest count that holds
# 60 frames per second, found by bisection. Peak resident memory comes with each row.
# Usage: scripts/bench_frames.sh [path/to/pomodouroboros] [SECONDS per run, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${2:-8}
. scripts/xvfb-lib.sh

# Prints "fps median_ms rss_mib" for N sneks.
run() {
    "$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" \
        --bench-sneks "$1" --bench-seconds "$seconds" 2>"$work/log" |
        awk '/^bench/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                        print v["fps"], v["median_frame_ms"], v["peak_rss_mib"] }'
}

printf '%8s %10s %8s %14s\n' sneks median_ms fps peak_rss_mib
best=0
worst=0
for n in 1 100 1000 3000 10000; do
    read -r fps ms rss < <(run "$n")
    printf '%8s %10s %8s %14s\n' "$n" "$ms" "$fps" "$rss"
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
while [ $((hi - lo)) -gt $(( (lo / 20) > 50 ? lo / 20 : 50 )) ]; do
    mid=$(( (lo + hi) / 2 ))
    read -r fps _ _ < <(run "$mid")
    if awk -v f="$fps" 'BEGIN { exit !(f >= 60) }'; then lo=$mid; else hi=$mid; fi
done
echo "largest_count_at_60fps=$lo"
