#!/usr/bin/env bash
# make restore [BACKUP=backups/portal-…]: put a backup made by scripts/backup.sh back, replacing the
# database named by DATABASE_URL (pg_restore --clean --if-exists --no-owner, in one transaction; or
# the SQLite file) and everything under MEDIA_ROOT. Without an argument: the newest backup in
# BACKUP_DIR. The checksums are verified first; nothing is changed unless confirmed with --yes or
# RESTORE_CONFIRM=yes. Stop web, worker and beat first (docker compose stop web worker beat).
# Also run by `docker compose run --rm restore --yes [backups/portal-…]`.
set -euo pipefail

# shellcheck source=scripts/backup.sh
source "$(dirname "${BASH_SOURCE[0]}")/backup.sh"

usage() {
  echo "usage: $0 [--yes] [BACKUP_DIRECTORY]" >&2
  exit 2
}

restore_main() {
  local confirmed="${RESTORE_CONFIRM:-}" backup=""
  while [ $# -gt 0 ]; do
    case "$1" in
      -y | --yes) confirmed=yes ;;
      -h | --help) usage ;;
      -*) usage ;;
      *) [ -z "$backup" ] || usage; backup="$1" ;;
    esac
    shift
  done
  load_settings

  if [ -z "$backup" ]; then
    backup="$(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'portal-*' 2>/dev/null | sort | tail -n 1)"
    [ -n "$backup" ] || { echo "!! no backup in $BACKUP_DIR" >&2; exit 1; }
  fi
  backup="$(absolute "$backup")"
  [ -f "$backup/SHA256SUMS" ] || { echo "!! not a backup (no SHA256SUMS): $backup" >&2; exit 1; }

  echo "==> verifying $backup" >&2
  (cd "$backup" && sha256sum --check --strict --quiet SHA256SUMS) \
    || { echo "!! 备份文件校验失败 / checksum mismatch: $backup is damaged; nothing restored" >&2; exit 1; }

  local kind
  if [ -f "$backup/database.dump" ]; then kind=postgresql; else kind=sqlite; fi
  for file in "database.$([ "$kind" = postgresql ] && echo dump || echo sqlite3)" backup.txt; do
    grep -q "  $file\$" "$backup/SHA256SUMS" || { echo "!! $file missing from SHA256SUMS" >&2; exit 1; }
  done
  if [ "$kind" != "$DB_KIND" ]; then
    echo "!! the backup holds a $kind database but DATABASE_URL names a $DB_KIND one; nothing restored" >&2
    exit 1
  fi

  echo "    backup:   $(sed -n 's/^created_at: //p' "$backup/backup.txt") from $(sed -n 's/^database: //p' "$backup/backup.txt")" >&2
  echo "    replaces: $DB_LABEL" >&2
  [ -f "$backup/media.tar" ] && echo "    and everything under $MEDIA_ROOT" >&2
  if [ "$confirmed" != yes ]; then
    echo "!! 恢复将覆盖现有数据 / this overwrites the data above. Confirm with --yes or RESTORE_CONFIRM=yes." >&2
    exit 2
  fi

  echo "==> database" >&2
  if [ "$kind" = postgresql ]; then
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
      --dbname="$PG_URL" "$backup/database.dump"
  else
    mkdir -p "$(dirname "$SQLITE_PATH")"
    sqlite_copy "$backup/database.sqlite3" "$SQLITE_PATH"
  fi

  if [ -f "$backup/media.tar" ]; then
    echo "==> media" >&2
    tar -tf "$backup/media.tar" >/dev/null
    mkdir -p "$MEDIA_ROOT"
    # Empty the directory rather than replace it: in a container it is a volume's mount point.
    find "$MEDIA_ROOT" -mindepth 1 -delete
    # -p: the files' own modes, not this script's umask (the proxy must still read them).
    tar -C "$MEDIA_ROOT" -xpf "$backup/media.tar"
  else
    echo "==> media: $(sed -n 's/^media: //p' "$backup/backup.txt")" >&2
  fi
  echo "==> restored $backup" >&2
}

restore_main "$@"
