#!/bin/sh
# Removes what install.sh installed (binary, cron file, systemd units) and keeps the config.
set -eu

usage() {
  echo "Usage: uninstall.sh [--prefix DIR]

Removes DIR/bin/autoheal-once (DIR defaults to /usr/local), /etc/cron.d/autoheal and the autoheal systemd
units. Keeps /etc/autoheal/conf.yaml. Set DESTDIR to uninstall from a staging root."
}

die_usage() {
  echo "uninstall.sh: $1" >&2
  usage >&2
  exit 2
}

prefix=/usr/local
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die_usage "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option: $1" ;;
  esac
done
case $prefix in
  /*) ;;
  *) die_usage "--prefix must be an absolute path, got: $prefix" ;;
esac
prefix=${prefix%/}
dest=${DESTDIR:-}
dest=${dest%/}
units="$dest/etc/systemd/system"
removed=0

# Removes one file or symlink if it is there, and says so.
remove() {
  if [ -e "$1" ] || [ -L "$1" ]; then
    rm -f "$1"
    echo "removed $1"
    removed=$((removed + 1))
  fi
}

# On a running systemd host, stop the timer before its unit files go.
live_systemd=no
if [ -z "$dest" ] && [ -d /run/systemd/system ]; then live_systemd=yes; fi
if [ "$live_systemd" = yes ] && [ -e "$units/autoheal.timer" ]; then
  systemctl disable --now autoheal.timer
fi

remove "$dest/etc/cron.d/autoheal"
remove "$units/timers.target.wants/autoheal.timer"
remove "$units/autoheal.timer"
remove "$units/autoheal.service"
remove "$dest$prefix/bin/autoheal-once"
[ "$live_systemd" = no ] || systemctl daemon-reload

conf="$dest/etc/autoheal/conf.yaml"
if [ -e "$conf" ]; then
  echo "kept $conf (the config is yours: delete it by hand if you no longer need it)"
elif rmdir "$dest/etc/autoheal" 2>/dev/null; then
  echo "removed $dest/etc/autoheal/ (empty)"
fi
[ "$removed" -gt 0 ] || echo "nothing to remove: no autoheal-once files under ${dest:-/} with prefix $prefix"
