#!/usr/bin/env bash
# Runs every test of the project, installing what the window test needs when it is missing.
# Usage: ./test.sh   (CI runs exactly this, from .ci/run)
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb xauth)
command -v xdotool >/dev/null 2>&1 || need+=(xdotool)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
ls /usr/share/vulkan/icd.d/lvp_icd.*.json >/dev/null 2>&1 || need+=(mesa-vulkan-drivers)
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' || need+=(libvulkan1)
# The freedesktop validator for the desktop entry `desktop install` writes.
command -v desktop-file-validate >/dev/null 2>&1 || need+=(desktop-file-utils)
# A font with Chinese and Japanese glyphs, for the test that such text is drawn (1.8 MB).
compgen -G '/usr/share/fonts/truetype/droid/DroidSansFallback*.ttf' >/dev/null \
    || compgen -G '/usr/share/fonts/opentype/noto/NotoSansCJK*' >/dev/null || need+=(fonts-droid-fallback)
# Real desktop components for the window tests: a session bus and a notification server, a sound
# server with its recorder and meter, a window manager, X property readers.
command -v dbus-daemon >/dev/null 2>&1 && command -v dbus-monitor >/dev/null 2>&1 || need+=(dbus)
command -v dunst >/dev/null 2>&1 || need+=(dunst)
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
command -v parec >/dev/null 2>&1 || need+=(pulseaudio-utils)
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v openbox >/dev/null 2>&1 || need+=(openbox)
command -v xprop >/dev/null 2>&1 && command -v xwininfo >/dev/null 2>&1 || need+=(x11-utils)
# The clipboard's other end, for the copy and paste test.
command -v xclip >/dev/null 2>&1 || need+=(xclip)
# A Wayland compositor with a headless backend; XWayland, for two monitors under it.
command -v weston >/dev/null 2>&1 || need+=(weston)
command -v Xwayland >/dev/null 2>&1 || need+=(xwayland)
# A compositing manager, which blends the overlay over the windows under it.
command -v xcompmgr >/dev/null 2>&1 || need+=(xcompmgr)
# The Debian package's checks: AppStream's validator and the man page reader.
command -v appstreamcli >/dev/null 2>&1 || need+=(appstream)
command -v man >/dev/null 2>&1 || need+=(man-db)
# Two Syncthing instances carry two machines' data folders (the sync test talks to their REST API
# with curl).
command -v syncthing >/dev/null 2>&1 || need+=(syncthing)
command -v curl >/dev/null 2>&1 || need+=(curl)

# Packages install while the tests build (the build needs none of them).
installing=
if ((${#need[@]})); then
    echo "test.sh: installing ${need[*]} for the real-window tests, while the tests build" >&2
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo -n)
    apt_log=$(mktemp)
    (
        "${sudo[@]}" apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
    ) </dev/null >"$apt_log" 2>&1 &
    installing=$!
fi
# The library, binaries and test binaries; examples are built by `cargo clippy --all-targets`, and
# the crate has no doctests. (The window tests run after the others, not beside them: on two
# cores, a CPU-bound suite beside them made the desktop servers they start miss their timeouts.)
cargo test --locked --no-run --lib --bins --tests
if [ -n "$installing" ] && ! wait "$installing"; then
    cat "$apt_log" >&2
    echo "test.sh: installing ${need[*]} failed" >&2
    exit 1
fi

# The window test must run here, not skip quietly.
export POMODOUROBOROS_REQUIRE_WINDOW_TEST=1
cargo test --locked --lib --bins --tests
