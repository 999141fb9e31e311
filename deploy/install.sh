#!/usr/bin/env bash
# Installs the Vigil gateway as a systemd service on Raspberry Pi OS bookworm (Debian 12):
# the vigil user (in dialout and gpio), /etc/vigil (0750) with tls/ (0700), /var/lib/vigil (0700),
# the unit (deploy/vigil.service) and journald limits (deploy/journald/vigil.conf).
# Run it again at any time: every step checks before it changes anything.
# docs/installer-guide.md walks through the whole installation.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: sudo deploy/install.sh [--dry-run] [--root DIR] [--vigil-bin PATH]

  --dry-run         print every action, change nothing
  --root DIR        install the files under DIR instead of / (packaging, tests); users,
                    ownership and systemctl are left out and listed as skipped
  --vigil-bin PATH  the vigil command for ExecStart (default: `command -v vigil`)
USAGE
}

ARGS="$*"
DRY_RUN=0
ROOT=""
VIGIL_BIN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=1 ;;
    --root)
      [ $# -ge 2 ] || { echo "install.sh: --root needs a directory" >&2; exit 2; }
      ROOT="${2%/}"; shift ;;
    --vigil-bin)
      [ $# -ge 2 ] || { echo "install.sh: --vigil-bin needs a path" >&2; exit 2; }
      VIGIL_BIN="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICE_USER=vigil
GROUPS_WANTED=(dialout gpio)
CONF_DIR=/etc/vigil
TLS_DIR=/etc/vigil/tls
DATA_DIR=/var/lib/vigil
UNIT=/etc/systemd/system/vigil.service
JOURNALD_DROPIN=/etc/systemd/journald.conf.d/vigil.conf

say() { printf 'vigil install: %s\n' "$*"; }
fail() { printf 'vigil install: ERROR: %s\n' "$*" >&2; exit 1; }
# A missing prerequisite stops a real run; a dry run reports it and carries on showing the plan.
missing() {
  if [ "$DRY_RUN" -eq 1 ]; then say "would stop here: $*"; else fail "$*"; fi
}

# Every change goes through act: printed in a dry run, run otherwise.
act() {
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would run: %s\n' "$*"
  else
    "$@"
  fi
}

# Steps that need the real system (users, ownership, services) are skipped under --root.
system_step() {
  if [ -n "$ROOT" ]; then
    printf 'skipped (--root): %s\n' "$*"
  else
    act "$@"
  fi
}

# ── checks ────────────────────────────────────────────────────────────────────────────
if [ -z "$ROOT" ] && [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
  fail "run as root: sudo $0 $ARGS"
fi

if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  . /etc/os-release
  if [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
    say "warning: this script is made for Raspberry Pi OS / Debian bookworm; this is ${PRETTY_NAME:-unknown}"
  fi
fi

if [ -z "$VIGIL_BIN" ]; then
  VIGIL_BIN="$(command -v vigil || true)"
  [ -n "$VIGIL_BIN" ] || fail "the vigil command is not installed; install it first (sudo npm install -g ./vigil-<version>.tgz) or pass --vigil-bin PATH"
fi
case "$VIGIL_BIN" in
  /*) ;;
  *) fail "--vigil-bin must be an absolute path (systemd needs one), not $VIGIL_BIN" ;;
esac

if [ -z "$ROOT" ]; then
  if ! command -v node >/dev/null 2>&1; then
    missing "Node.js is not installed; Vigil needs Node 20.19+ (bookworm's own nodejs is 18: use the NodeSource 20.x or 22.x packages)"
  elif ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
    missing "Node.js $(node --version) is too old; Vigil needs 20.19+ or 22.12+"
  fi
  command -v systemd-notify >/dev/null 2>&1 || missing "systemd-notify is missing (package systemd): the service reports readiness and its watchdog through it"
  command -v openssl >/dev/null 2>&1 || say "warning: openssl is missing; vigil register needs it (sudo apt-get install -y openssl)"
fi

# ── the service user ─────────────────────────────────────────────────────────────────
if id -u "$SERVICE_USER" >/dev/null 2>&1; then
  say "user $SERVICE_USER exists"
else
  say "creating system user $SERVICE_USER"
  system_step useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi
GROUPS_PRESENT=()
for g in "${GROUPS_WANTED[@]}"; do
  if ! getent group "$g" >/dev/null 2>&1; then
    say "warning: group $g does not exist on this system (gpio exists on Raspberry Pi OS; dialout on every Debian); $SERVICE_USER not added, and it is left out of the unit's SupplementaryGroups (systemd refuses to start a unit naming a missing group)"
    continue
  fi
  GROUPS_PRESENT+=("$g")
  if id -nG "$SERVICE_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$g"; then
    say "$SERVICE_USER is in group $g"
  else
    say "adding $SERVICE_USER to group $g"
    system_step usermod --append --groups "$g" "$SERVICE_USER"
  fi
done

# ── directories ──────────────────────────────────────────────────────────────────────
# /etc/vigil belongs to vigil so the installer can run every vigil command as that user (sudo -u
# vigil …) and so prove the service can read what it needs; the service itself sees /etc
# read-only (ProtectSystem=strict). tls/ holds the private key: 0700.
make_dir() {
  local mode="$1" dir="$2"
  say "directory $dir ($mode)"
  if [ -n "$ROOT" ]; then
    act install -d -m "$mode" "$ROOT$dir"
  else
    act install -d -m "$mode" -o "$SERVICE_USER" -g "$SERVICE_USER" "$dir"
  fi
}
make_dir 0750 "$CONF_DIR"
make_dir 0700 "$TLS_DIR"
make_dir 0700 "$DATA_DIR"

# ── files ────────────────────────────────────────────────────────────────────────────
CHANGED_UNIT=0
CHANGED_JOURNALD=0
# install_file SOURCE_TEXT DEST: writes only when the content differs.
install_file() {
  local text="$1" dest="$2" flag="$3"
  local target="$ROOT$dest"
  if [ -f "$target" ] && [ "$(cat "$target")" = "$text" ]; then
    say "$dest is up to date"
    return
  fi
  say "writing $dest"
  act install -d -m 0755 "$(dirname "$target")"
  if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would write: %s (0644)\n' "$target"
  else
    printf '%s\n' "$text" > "$target.tmp"
    chmod 0644 "$target.tmp"
    mv "$target.tmp" "$target"
  fi
  printf -v "$flag" 1
}
if [ "${#GROUPS_PRESENT[@]}" -gt 0 ]; then
  GROUPS_LINE="SupplementaryGroups=${GROUPS_PRESENT[*]}"
else
  GROUPS_LINE="# SupplementaryGroups: none of ${GROUPS_WANTED[*]} exist on this system"
fi
UNIT_TEXT="$(sed -e "s|@VIGIL_BIN@|$VIGIL_BIN|" -e "s|^SupplementaryGroups=.*|$GROUPS_LINE|" "$HERE/vigil.service")"
install_file "$UNIT_TEXT" "$UNIT" CHANGED_UNIT
install_file "$(cat "$HERE/journald/vigil.conf")" "$JOURNALD_DROPIN" CHANGED_JOURNALD

# ── systemd ──────────────────────────────────────────────────────────────────────────
if [ "$CHANGED_JOURNALD" -eq 1 ]; then
  system_step systemctl restart systemd-journald
fi
if [ "$CHANGED_UNIT" -eq 1 ]; then
  system_step systemctl daemon-reload
fi
system_step systemctl enable vigil.service

say "done. Next:"
say "  1. the site file: sudo -u $SERVICE_USER vigil init $CONF_DIR/site.yaml (then scan, validate, register — docs/installer-guide.md)"
say "  2. start:         sudo systemctl start vigil && systemctl status vigil"
say "  3. logs:          journalctl -u vigil -f -o cat"
if [ "$CHANGED_UNIT" -eq 1 ] && [ -z "$ROOT" ] && [ "$DRY_RUN" -eq 0 ] && systemctl is-active --quiet vigil.service; then
  say "the unit changed while vigil runs: sudo systemctl restart vigil to apply it"
fi
