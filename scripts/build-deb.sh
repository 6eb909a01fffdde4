#!/usr/bin/env bash
# Builds the Debian package from a built binary: the binary in /usr/bin, the desktop entry, the
# icons, the AppStream metainfo, the man page and the bash, zsh and fish completions (the last
# three written by the binary itself from its command-line definition), and the copyright file.
# Needs dpkg-deb and gzip (both in every Debian).
# Usage: scripts/build-deb.sh [BINARY] [OUT_DIR]   (default: target/release/pomodouroboros, target/deb)
#        DEB_COMPRESSION=none|gzip|xz (default xz)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/pomodouroboros}
out=${2:-target/deb}
[ -x "$bin" ] || { echo "build-deb: no binary at $bin (cargo build --release first)" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/pomodouroboros_${version}_${arch}"
share="$root/usr/share"

install -D -m 0755 "$bin" "$root/usr/bin/pomodouroboros"
strip --strip-unneeded "$root/usr/bin/pomodouroboros" 2>/dev/null || true
mkdir -p "$share/applications"
"$bin" desktop entry --exec pomodouroboros >"$share/applications/pomodouroboros.desktop"
for icon in assets/icons/pomodouroboros-*.png; do
    size=${icon##*-}; size=${size%.png}
    install -D -m 0644 "$icon" "$share/icons/hicolor/${size}x${size}/apps/pomodouroboros.png"
done
install -D -m 0644 packaging/io.github.pomodouroboros.Pomodouroboros.metainfo.xml "$share/metainfo/io.github.pomodouroboros.Pomodouroboros.metainfo.xml"
mkdir -p "$share/man/man1"
"$bin" man | gzip -9n >"$share/man/man1/pomodouroboros.1.gz"
mkdir -p "$share/bash-completion/completions" "$share/zsh/vendor-completions" "$share/fish/vendor_completions.d"
"$bin" completions bash >"$share/bash-completion/completions/pomodouroboros"
"$bin" completions zsh >"$share/zsh/vendor-completions/_pomodouroboros"
"$bin" completions fish >"$share/fish/vendor_completions.d/pomodouroboros.fish"
install -D -m 0644 LICENSE "$share/doc/pomodouroboros/copyright"
find "$share" -type f -exec chmod 0644 {} +
find "$root" -type d -exec chmod 0755 {} +

# Depends: what the binary links (glibc, libgcc) and what it loads at run time (Vulkan, X11 and
# its input and cursor libraries); Wayland and a Vulkan driver are recommended.
size=$(du -sk "$root/usr" | cut -f1)
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: pomodouroboros
Version: $version
Architecture: $arch
Maintainer: Pomodouroboros developers <pomodouroboros@invalid>
Installed-Size: $size
Depends: libc6 (>= 2.34), libgcc-s1, libvulkan1, libx11-6, libxcursor1, libxi6, libxrandr2, libxkbcommon-x11-0
Recommends: mesa-vulkan-drivers | vulkan-icd, libwayland-client0, libxkbcommon0
Section: utils
Priority: optional
Description: pomodoro timer in which an ouroboros snake eats your work day
 A game-style pomodoro timer that stays in view and records the day whether
 or not you touch it: intentions, ratings and points, an overlay over every
 monitor, notifications, a history and a private journal.
CONTROL
mkdir -p "$out"
# DEB_COMPRESSION=none builds at once (the test does so): xz takes half a minute on 2 cores.
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$root" "$out/" >/dev/null
echo "$out/pomodouroboros_${version}_${arch}.deb"
