#!/usr/bin/env bash
# Where a frame's CPU goes: the window under Xvfb drawing flat out (`--bench-sneks N`, no vsync,
# 1280x800), sampled with `perf record` together with the X server, then each sample put in a
# group (ours, Bevy's ECS and render code, egui, wgpu, the Vulkan driver's rasterizer and its
# JIT-compiled shaders, memory copies, the kernel, the X server, …). Prints the CPU time of each
# group per frame, in ms, for each count of sneks; three runs, median and range.
# Usage: scripts/profile_frame.sh [path/to/pomodouroboros] [SNEK COUNTS, default "1 1000"]
# Needs perf (Debian: linux-perf) and kernel.perf_event_paranoid <= 1 or root.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${2:-1 1000}
seconds=${PROFILE_SECONDS:-6}
. scripts/xvfb-lib.sh
command -v perf >/dev/null || { echo "profile_frame.sh: perf is not installed" >&2; exit 1; }

# One run: prints "group ms_per_frame" lines, then "frames N".
profile() {
    local n=$1
    "$bin" --test-day --no-overlay --data-dir "$work/data" --config-dir "$work/config" \
        --bench-sneks "$n" --bench-seconds "$seconds" ${BENCH_CANVAS_FROM:+--bench-canvas-from "$BENCH_CANVAS_FROM"} \
        >"$work/out" 2>"$work/log" &
    local pid=$!
    # Past the 2 s warm-up, sample both the app and the X server for a fixed stretch.
    sleep 2.5
    perf record -q -F 499 -p "$pid,$xvfb" -o "$work/perf.data" -- sleep "$((seconds - 1))" >/dev/null 2>&1 || true
    wait "$pid" || true
    local frames_per_s
    frames_per_s=$(awk '/^bench / { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "fps") print kv[2] } }' "$work/out")
    # Fields apart by "@" (thread names hold spaces).
    perf report -i "$work/perf.data" --stdio --no-children -F overhead,comm,dso,sym -t @ 2>/dev/null |
        awk -F@ '
            /^#/ || NF < 4 { next }
            {
                pct = $1; gsub(/[ %]/, "", pct); comm = $2; dso = $3; sym = $4;
                g = "other";
                if (comm ~ /^Xvfb/) g = "X server (Xvfb)";
                else if (dso ~ /kernel/) g = "kernel";
                else if (dso ~ /lvp|vulkan_lvp|gallium|libLLVM/ || sym ~ /lp_|llvmpipe|lvp_|util_format|sp_/) g = "Vulkan driver (lavapipe)";
                else if (dso ~ /^\[unknown\]$/ || dso ~ /JIT|anon|memfd/) g = "JIT shaders";
                else if (sym ~ /memcpy|memmove|memset/) g = "memory copies";
                else if (dso ~ /libxcb|libX11/ ) g = "X11 client";
                else if (sym ~ /pomodouroboros::/) g = "ours";
                else if (sym ~ /epaint|egui/) g = "egui";
                else if (sym ~ /wgpu|naga/) g = "wgpu";
                else if (sym ~ /bevy_render|bevy_core_pipeline|bevy_sprite|bevy_ui|bevy_camera|bevy_mesh/) g = "Bevy render";
                else if (sym ~ /bevy/) g = "Bevy ECS and app";
                else if (dso ~ /libc|ld-linux|libm|libstdc/) g = "libc and friends";
                share[g] += pct
            }
            END { for (g in share) print g "\t" share[g] }' >"$work/shares"
    local samples
    samples=$(perf report -i "$work/perf.data" --stdio --no-children 2>/dev/null | awk '/^# Samples:/ { s = $3; if (s ~ /K$/) { sub("K", "", s); s *= 1000 } print s }')
    # Samples come at 499 a CPU-second: a group's share of them, over the frames drawn meanwhile.
    awk -F'\t' -v samples="$samples" -v fps="$frames_per_s" -v secs="$((seconds - 1))" -v hz=499 '
        { cpu_s = samples / hz * $2 / 100; printf "%s\t%.2f\n", $1, cpu_s * 1000 / (fps * secs) }' "$work/shares"
    echo "frames_per_second	$frames_per_s"
    grep '^bench_passes' "$work/out" | tr ' ' '\n' | grep -E '\.(gpu|cpu)=' | sed 's/=/\t/; s/^/pass /'
}

for n in $counts; do
    for run in 1 2 3; do profile "$n" >"$work/run$run"; done
    echo "== $n sneks: CPU ms per frame by group (median of 3, range), and render passes"
    cat "$work/run1" "$work/run2" "$work/run3" | awk -F'\t' '
        { v[$1] = v[$1] " " $2; names[$1] = 1 }
        END {
            for (k in names) {
                n = split(substr(v[k], 2), a, " ");
                for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                printf "%8s  (%s–%s)  %s\n", a[int((n + 1) / 2)], a[1], a[n], k
            }
        }' | sort -g -r
done
