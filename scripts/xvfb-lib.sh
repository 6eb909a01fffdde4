# Shared by the scripts that run the window under Xvfb; source it after `cd` to the repository.
# Sets: bin (the binary: the first argument, or a fresh release build), work (a temporary folder,
# removed on exit), and DISPLAY (a new Xvfb at 1600x1000, so that the 1280x800 window fits it
# whole: a first window that fills its screen is shrunk to 90 % of it). Kills $app, if set, on exit.

bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --locked
    bin=target/release/pomodouroboros
fi
work=$(mktemp -d)
app=
xvfb=
cleanup() {
    if [ -n "$app" ]; then kill "$app" 2>/dev/null || true; fi
    if [ -n "$xvfb" ]; then kill "$xvfb" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
for n in $(seq 40 69); do
    [ -e "/tmp/.X$n-lock" ] && continue
    Xvfb ":$n" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    if kill -0 "$xvfb" 2>/dev/null; then
        export DISPLAY=":$n"
        break
    fi
done
export XDG_RUNTIME_DIR=$work

# Starts the app on a test day in the background (extra arguments are passed on) and waits for
# its first frame. Sets app.
start_app() {
    "$bin" --test-day --data-dir "$work/data" --config-dir "$work/config" "$@" >"$work/log" 2>&1 &
    app=$!
    for _ in $(seq 150); do grep -q "first frame presented" "$work/log" && break; sleep 0.2; done
}
