#!/bin/sh
# Installs autoheal-once: the binary, an example config (never overwritten) and a cron file or a systemd timer.
set -eu

usage() {
  echo "Usage: install.sh [--prefix DIR] [--systemd] [--binary FILE]

Installs DIR/bin/autoheal-once (DIR defaults to /usr/local), /etc/autoheal/conf.yaml if there is none,
and /etc/cron.d/autoheal, or with --systemd autoheal.service + autoheal.timer in /etc/systemd/system instead.
Set DESTDIR to install under a staging root. --binary defaults to dist/autoheal-once of this source tree."
}

die_usage() {
  echo "install.sh: $1" >&2
  usage >&2
  exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
packaging="$here/../packaging"
prefix=/usr/local
binary="$here/../dist/autoheal-once"
systemd=no
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) [ $# -ge 2 ] || die_usage "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --binary) [ $# -ge 2 ] || die_usage "--binary needs a file"; binary=$2; shift 2 ;;
    --binary=*) binary=${1#--binary=}; shift ;;
    --systemd) systemd=yes; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die_usage "unknown option: $1" ;;
  esac
done

# The path lands unquoted in a cron line and an ExecStart=: no spaces, no %, nothing a shell or sed would read.
case $prefix in
  /*) ;;
  *) die_usage "--prefix must be an absolute path, got: $prefix" ;;
esac
case $prefix in
  *[!A-Za-z0-9._/+-]*) die_usage "--prefix may contain only letters, digits and . _ / + -, got: $prefix" ;;
esac
prefix=${prefix%/}
dest=${DESTDIR:-}
dest=${dest%/}

[ -f "$binary" ] || { echo "install.sh: no binary at $binary: run npm run build, or pass --binary FILE" >&2; exit 1; }
version=$("$binary" --version 2>/dev/null) || version=
case $version in
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) echo "install.sh: $binary --version printed '$version', not a version: not an autoheal-once binary" >&2; exit 1 ;;
esac

is_root=no
if [ "$(id -u)" = 0 ]; then is_root=yes; fi

# Creates a missing directory; an existing one keeps its owner and mode.
ensure_dir() {
  [ -d "$1" ] || install -d -m 0755 "$1"
}

# Moves a finished temp file into place with MODE (root-owned when run as root) and says so.
commit() {
  chmod "$3" "$1"
  [ "$is_root" = no ] || chown root:root "$1"
  mv -f "$1" "$2"
  echo "installed $2 (mode $3${4:-})"
}

# The temp file sits next to DEST, so the final mv is atomic: cron or a running pass never sees half a file.
# Its name has dots, which cron ignores in /etc/cron.d.
staging() {
  echo "$(dirname "$1")/.$(basename "$1").new.$$"
}

# Copies SRC to DEST with MODE.
put() {
  tmp=$(staging "$2")
  cp "$1" "$tmp"
  commit "$tmp" "$2" "$3" "${4:-}"
}

# Writes a template of packaging/ with @BINARY@ replaced by the installed binary's absolute path.
put_template() {
  tmp=$(staging "$2")
  sed "s|@BINARY@|$prefix/bin/autoheal-once|g" "$packaging/$1" >"$tmp"
  commit "$tmp" "$2" "$3"
}

# Removes a file of the other scheduling mode, so cron and systemd never both run passes.
drop() {
  if [ -e "$1" ] || [ -L "$1" ]; then
    rm -f "$1"
    echo "removed $1 (replaced by the $2)"
  fi
}

ensure_dir "$dest$prefix/bin"
ensure_dir "$dest/etc/autoheal"
put "$binary" "$dest$prefix/bin/autoheal-once" 0755 ", version $version"

conf="$dest/etc/autoheal/conf.yaml"
if [ -e "$conf" ]; then
  echo "kept $conf (exists; not overwritten)"
else
  put "$packaging/conf.example.yaml" "$conf" 0600
fi

units="$dest/etc/systemd/system"
live_systemd=no
if [ -z "$dest" ] && [ -d /run/systemd/system ]; then live_systemd=yes; fi
if [ "$systemd" = yes ]; then
  ensure_dir "$units"
  put_template autoheal.service "$units/autoheal.service" 0644
  put_template autoheal.timer "$units/autoheal.timer" 0644
  drop "$dest/etc/cron.d/autoheal" "systemd timer"
  if [ "$live_systemd" = yes ]; then
    systemctl daemon-reload
    systemctl enable --now autoheal.timer
    echo "enabled and started autoheal.timer"
  else
    echo "not enabled here; on the host run: systemctl daemon-reload && systemctl enable --now autoheal.timer"
  fi
else
  if [ -e "$units/autoheal.timer" ] && [ "$live_systemd" = yes ]; then
    systemctl disable --now autoheal.timer
  fi
  ensure_dir "$dest/etc/cron.d"
  put_template autoheal.cron "$dest/etc/cron.d/autoheal" 0644
  drop "$units/timers.target.wants/autoheal.timer" "cron file"
  drop "$units/autoheal.timer" "cron file"
  drop "$units/autoheal.service" "cron file"
  [ "$live_systemd" = no ] || systemctl daemon-reload
fi
