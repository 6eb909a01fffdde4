#!/usr/bin/env bash
# The same sneks drawn both ways, to compare: in their pixel-art canvas, and straight into the
# window at its resolution. For 1, 100 and 1000 sneks (the same seed, standing still), takes a
# screenshot of each way into OUT (default: a temporary folder) and prints how many pixels differ.
# (The snake's head and the clock move between the two shots of a test day.)
# Usage: scripts/canvas_shots.sh [path/to/pomodouroboros] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/xvfb-lib.sh
out=${2:-$(mktemp -d)}
mkdir -p "$out"
for n in 1 100 1000; do
    for way in canvas window; do
        from=0
        [ "$way" = window ] && from=1000000000
        "$bin" --test-day --no-overlay --data-dir "$work/data" --config-dir "$work/config" \
            --bench-sneks "$n" --bench-seconds 4 --bench-still --bench-canvas-from "$from" >/dev/null 2>&1 &
        pid=$!
        sleep 4.5
        import -window "$(xdotool search --name '^Pomodouroboros' | head -1)" "$out/$way-$n.png"
        wait "$pid" || true
    done
    differ=$(compare -metric AE "$out/canvas-$n.png" "$out/window-$n.png" "$out/difference-$n.png" 2>&1 || true)
    echo "$n sneks: $differ pixels differ ($out/canvas-$n.png, $out/window-$n.png, $out/difference-$n.png)"
done
