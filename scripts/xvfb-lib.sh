# Shared by the scripts that run the window under Xvfb; source it after `cd` to the repository.
# Sets: bin (the binary: the first argument, or a fresh release build), work (a temporary folder,
# removed on exit), and DISPLAY (a new Xvfb at 1600x1000, so that the 1280x800 window fits it
# whole: a first window that fills its screen is shrunk to 90 % of it; BENCH_SCREEN=1920x1080 for
# another size). Kills $app, if set, on exit.
# BENCH_OVERLAY=bar or ring runs the app with its overlay in that style, under a compositing
# manager (xcompmgr, whose pid is $compositor); unset, the app runs with --no-overlay (the figures
# of the main window alone).

bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --locked
    bin=target/release/pomodouroboros
fi
work=$(mktemp -d)
# The app as it runs every day: past its one-time welcome.
mkdir -p "$work/config" && : >"$work/config/welcomed"
app=
xvfb=
compositor=
services=()
cleanup() {
    if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; fi
    for pid in "${services[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
for n in $(seq 40 69); do
    [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 "${BENCH_SCREEN:-1600x1000}x24" -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    if kill -0 "$xvfb" 2>/dev/null; then
        export DISPLAY=":$n"
        break
    fi
done
export XDG_RUNTIME_DIR=$work
# This machine's own state and cache (window places, what was shown) of the run alone: a place
# the user's own window was left at would change the window measured.
export POMODOUROBOROS_STATE_DIR=$work/state POMODOUROBOROS_CACHE_DIR=$work/cache

# Starts the app in the background (extra arguments are passed on) and waits for its first frame.
# Sets app and window (its X window id). The day is an ordinary 8-hour work day with the current time in it (BENCH_DAY=work,
# the default: real 25- and 5-minute intervals, the snake some hours long), or a three-minute test
# day (BENCH_DAY=test: every interval ten times shorter than a minute, the head moving ~10 pixels a
# second). The "while you were away" panel that a day started hours ago opens is closed first:
# a window left running all day has none open.
start_app() {
    local day=(--test-day)
    local fields=()
    if [ "${BENCH_DAY:-work}" = work ]; then
        day=()
        # Work hours 08:00 long, starting 4 hours ago (kept within today).
        local now_min start end h
        now_min=$((10#$(date +%H) * 60 + 10#$(date +%M)))
        start=$((now_min - 240))
        if [ "$start" -lt 0 ]; then start=0; fi
        if [ "$start" -gt $((1439 - 480)) ]; then start=$((1439 - 480)); fi
        end=$((start + 480))
        h=$(printf 'Some((start: "%02d:%02d", end: "%02d:%02d"))' $((start / 60)) $((start % 60)) $((end / 60)) $((end % 60)))
        for weekday in monday tuesday wednesday thursday friday saturday sunday; do fields+=("$weekday: $h"); done
    fi
    # BENCH_SETTINGS: more fields, e.g. 'notifications: false, sound: false'.
    if [ -n "${BENCH_SETTINGS:-}" ]; then fields+=("$BENCH_SETTINGS"); fi
    local overlay=(--no-overlay)
    if [ -n "${BENCH_OVERLAY:-}" ]; then
        overlay=(--overlay)
        fields+=("overlay_style: ${BENCH_OVERLAY}")
        if command -v xcompmgr >/dev/null 2>&1; then
            xcompmgr >/dev/null 2>&1 &
            compositor=$!
            services+=("$compositor")
        fi
    fi
    if [ ${#fields[@]} -gt 0 ]; then
        mkdir -p "$work/config"
        local joined
        joined=$(IFS=,; echo "${fields[*]}")
        printf '(version: 1, settings: (%s))\n' "$joined" >"$work/config/settings.ron"
    fi
    "$bin" "${day[@]}" "${overlay[@]}" --data-dir "$work/data" --config-dir "$work/config" "$@" >"$work/log" 2>&1 &
    app=$!
    for _ in $(seq 150); do grep -q "first frame presented" "$work/log" && break; sleep 0.2; done
    window=$(xdotool search --name '^Pomodouroboros( \(.*)?$' | head -1)
    if [ "${BENCH_DAY:-work}" = work ]; then
        xdotool windowfocus "$window" key Escape
        sleep 0.5
    fi
    # BENCH_SNEKS=N: that many sneks on screen, spawned as `s` would.
    for _ in $(seq "${BENCH_SNEKS:-0}"); do
        "$bin" "${day[@]}" --data-dir "$work/data" --config-dir "$work/config" window snek >/dev/null
    done
    if [ "${BENCH_DAY:-work}" = work ]; then
        # Focus back to the root window: the app is unfocused, as a window left in a corner is.
        xdotool windowfocus "$(xwininfo -root | awk '/Window id:/ { print $4 }')"
        sleep 0.5
    fi
}

# With BENCH_SERVICES=1: the desktop's services the app reaches, as on a desktop: a session bus
# with a notification server (dbus-daemon, dunst) and a sound server with a null sink
# (pulseaudio).
start_services() {
    [ "${BENCH_SERVICES:-}" = 1 ] || return 0
    dbus-daemon --session --nofork --nopidfile --address "unix:path=$work/bus" >/dev/null 2>&1 &
    services+=($!)
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/bus"
    for _ in $(seq 50); do [ -e "$work/bus" ] && break; sleep 0.1; done
    dunst >/dev/null 2>&1 &
    services+=($!)
    pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --load=module-native-protocol-unix \
        --load="module-null-sink sink_name=bench" >/dev/null 2>&1 &
    services+=($!)
    for _ in $(seq 50); do [ -e "$work/pulse/native" ] && break; sleep 0.1; done
    pactl set-default-sink bench
}
