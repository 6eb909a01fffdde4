#!/usr/bin/env bash
# By hand (not in CI): machine A's window typing in the journal while machine B's command line changes the
# same day, through two Syncthing instances on 127.0.0.1. Prints what each side acknowledged and
# what the settled day holds. Usage: SECS=45 scripts/sync_by_hand.sh [path/to/pomodouroboros]
# (needs syncthing, curl, Xvfb, xdotool, imagemagick; ./test.sh installs them).
set -u
cd "$(dirname "$0")/.."
BIN=${1:-$PWD/target/debug/pomodouroboros}
R=$(mktemp -d)
SECS=${SECS:-60}
echo "root $R"
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A KEY ID GUI LIS
for m in a b; do
  mkdir -p $R/$m/Sync $R/$m/run; chmod 700 $R/$m/run
  HOME=$R/$m syncthing generate --no-default-folder --skip-port-probing --home $R/$m/st >/dev/null 2>&1
  KEY[$m]=$(sed -n 's:.*<apikey>\(.*\)</apikey>.*:\1:p' $R/$m/st/config.xml)
  ID[$m]=$(sed -n 's:.*<device id="\([^"]*\)".*:\1:p' $R/$m/st/config.xml | head -1)
  GUI[$m]=$(port); LIS[$m]=$(port)
  HOME=$R/$m STNOUPGRADE=1 STNODEFAULTFOLDER=1 syncthing serve --no-browser --no-restart --logflags=0 --home $R/$m/st --gui-address=http://127.0.0.1:${GUI[$m]} >/dev/null 2>&1 &
done
rest() { curl -sS --fail --max-time 5 -X "$2" -H "X-API-Key: ${KEY[$1]}" -H 'Content-Type: application/json' "http://127.0.0.1:${GUI[$1]}$3" ${4:+--data "$4"}; }
for m in a b; do until rest $m GET /rest/system/ping >/dev/null 2>&1; do sleep 0.2; done; done
for m in a b; do
  o=$([ $m = a ] && echo b || echo a)
  rest $m PATCH /rest/config/options "{\"globalAnnounceEnabled\":false,\"localAnnounceEnabled\":false,\"relaysEnabled\":false,\"natEnabled\":false,\"urAccepted\":-1,\"listenAddresses\":[\"tcp://127.0.0.1:${LIS[$m]}\"]}"
  rest $m POST /rest/config/devices "{\"deviceID\":\"${ID[$o]}\",\"addresses\":[\"tcp://127.0.0.1:${LIS[$o]}\"]}"
  rest $m POST /rest/config/folders "{\"id\":\"p\",\"path\":\"$R/$m/Sync\",\"devices\":[{\"deviceID\":\"${ID[$m]}\"},{\"deviceID\":\"${ID[$o]}\"}],\"rescanIntervalS\":1,\"fsWatcherEnabled\":true,\"fsWatcherDelayS\":1}"
done
until rest a GET /rest/system/connections | grep -q '"connected": *true'; do sleep 0.3; done
echo "engines connected"
app() { local m=$1; shift; HOME=$R/$m TZ=UTC $BIN --data-dir $R/$m/Sync --config-dir $R/$m/config "$@"; }
mkdir -p $R/a/config && : > $R/a/config/welcomed
Xvfb :79 -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 & XV=$!
sleep 1
export DISPLAY=:79
HOME=$R/a XDG_RUNTIME_DIR=$R/a/run WGPU_BACKEND=vulkan DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent TZ=UTC $BIN --data-dir $R/a/Sync --config-dir $R/a/config --no-overlay >$R/app.log 2>&1 & APP=$!
sleep 4
W=$(xdotool search --class pomodouroboros | head -1)
xdotool windowfocus $W; xdotool key j; sleep 1
end=$(( $(date +%s) + SECS ))
( n=0; while [ $(date +%s) -lt $end ]; do n=$((n+1)); xdotool type --delay 40 "window line $n. "; sleep 1.3; done; echo "window typed up to line $n" ) &
TY=$!
n=0; last_j=; last_p=
while [ $(date +%s) -lt $end ]; do
  n=$((n+1))
  app b journal --summary "B summary $n" >/dev/null 2>&1 && last_j="B summary $n"
  app b plan "B plan $n" >/dev/null 2>&1 && last_p="B plan $n"
  sleep 0.4
done
wait $TY
sleep 2
echo "B acknowledged: $last_j, $last_p ($n rounds)"
import -window $W $R/during.png
xdotool key Escape; sleep 1.5
for round in $(seq 20); do
  app a merge >/dev/null; app b merge >/dev/null; sleep 2.5
  if cmp -s $R/a/Sync/$(date +%F).ron $R/b/Sync/$(date +%F).ron && ! ls $R/a/Sync $R/b/Sync | grep -q sync-conflict; then echo "settled after $round rounds"; break; fi
done
app a status --json | python3 -c "import json,sys; d=json.load(sys.stdin); print('merged_from', d['merged_from'], 'kept_aside', d['kept_aside'])"
python3 - "$R/a/Sync/$(date +%F).ron" "$last_j" "$last_p" <<'EOF'
import sys,re
t=open(sys.argv[1]).read()
for want in sys.argv[2:]:
    # Whole values (the day's field or a value kept aside), not a part of another.
    print(repr(want), 'present' if '"%s"' % want in t else 'LOST')
m=re.findall(r'window line (\d+)', t)
print('window lines in the file:', len(set(m)), 'highest', max(map(int,m)) if m else None)
EOF
xdotool key q; sleep 1; kill $APP 2>/dev/null; kill $XV; pkill -f "syncthing serve --no-browser --no-restart --logflags=0 --home $R" ; echo "left in $R"
