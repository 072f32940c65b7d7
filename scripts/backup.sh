#!/usr/bin/env bash
# make backup: the database and the uploaded files, into BACKUP_DIR/portal-YYYYMMDD-HHMMSS/:
#   database.dump    pg_dump --format=custom of DATABASE_URL (PostgreSQL), or
#   database.sqlite3 a consistent copy of the SQLite file (the embedded default)
#   media.tar        MEDIA_ROOT (not when the uploads live on S3: back the bucket up there)
#   backup.txt       what was backed up, when, from where (no password)
#   SHA256SUMS       checked by scripts/restore.sh before it touches anything
# Variables: DATABASE_URL, MEDIA_ROOT, BACKUP_DIR (default ./backups), read from the environment or
# else from ./.env, with the portal's defaults (SQLite db.sqlite3, media/). Prints the directory.
# Also run by `docker compose run --rm backup` (docker-compose.yml) inside the PostgreSQL image.
set -euo pipefail
umask 077  # a backup holds every application and personal record of the portal

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The value of KEY in the project's .env (last assignment, surrounding quotes removed).
dotenv() {
  [ -f "$ROOT/.env" ] || return 0
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ROOT/.env" | tail -n 1 \
    | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"
}

# An absolute path: relative ones are taken from the project root, as manage.py sees them.
absolute() {
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$ROOT/${1#./}" ;; esac
}

load_settings() {
  DATABASE_URL="${DATABASE_URL:-$(dotenv DATABASE_URL)}"
  DATABASE_URL="${DATABASE_URL:-sqlite:///$ROOT/db.sqlite3}"
  MEDIA_ROOT="${MEDIA_ROOT:-$(dotenv MEDIA_ROOT)}"
  MEDIA_ROOT="$(absolute "${MEDIA_ROOT:-media}")"
  BACKUP_DIR="${BACKUP_DIR:-$(dotenv BACKUP_DIR)}"
  BACKUP_DIR="$(absolute "${BACKUP_DIR:-backups}")"
  S3_BUCKET="${AWS_STORAGE_BUCKET_NAME:-$(dotenv AWS_STORAGE_BUCKET_NAME)}"
  local scheme="${DATABASE_URL%%://*}"
  case "$scheme" in
    postgres | postgresql | pgsql | psql | postgis)
      DB_KIND=postgresql
      PG_URL="postgresql://${DATABASE_URL#*://}"
      # For the record only: the URL without its password.
      DB_LABEL="$(printf '%s' "$PG_URL" | sed -E 's#(//[^:/@]*):[^@]*@#\1@#')"
      ;;
    sqlite)
      DB_KIND=sqlite
      SQLITE_PATH="${DATABASE_URL#sqlite://}"
      SQLITE_PATH="${SQLITE_PATH%%\?*}"
      SQLITE_PATH="${SQLITE_PATH#/}"
      [ -n "$SQLITE_PATH" ] && [ "$SQLITE_PATH" != ":memory:" ] \
        || { echo "!! DATABASE_URL names no SQLite file: $DATABASE_URL" >&2; exit 1; }
      SQLITE_PATH="$(absolute "$SQLITE_PATH")"
      DB_LABEL="sqlite://$SQLITE_PATH"
      ;;
    *)
      echo "!! 不支持的数据库 / unsupported database in DATABASE_URL: $scheme" >&2
      exit 1
      ;;
  esac
}

# A consistent copy of a SQLite database, also while the portal writes to it (SQLite's backup API).
sqlite_copy() {
  python3 - "$1" "$2" <<'PY'
import sqlite3
import sys

source, target = sys.argv[1], sys.argv[2]
with open(source, "rb"):  # a missing file is an error, not a new empty database
    pass
src, dst = sqlite3.connect(source), sqlite3.connect(target)
with dst:
    src.backup(dst)
src.close()
dst.close()
PY
}

backup_main() {
  load_settings
  mkdir -p "$BACKUP_DIR"
  local stamp name work
  stamp="$(date +%Y%m%d-%H%M%S)"
  name="portal-$stamp"
  local n=1
  while [ -e "$BACKUP_DIR/$name" ]; do n=$((n + 1)); name="portal-$stamp-$n"; done
  work="$BACKUP_DIR/.$name.partial"
  rm -rf "$work"
  mkdir "$work"
  trap 'rm -rf "$work"' EXIT

  echo "==> database ($DB_LABEL)" >&2
  if [ "$DB_KIND" = postgresql ]; then
    pg_dump --format=custom --file="$work/database.dump" --dbname="$PG_URL"
  else
    sqlite_copy "$SQLITE_PATH" "$work/database.sqlite3"
  fi

  local media_note
  if [ -n "$S3_BUCKET" ]; then
    media_note="not included: uploads are in the S3 bucket $S3_BUCKET (back it up with the storage's own tools)"
    echo "==> media: $media_note" >&2
  else
    echo "==> media ($MEDIA_ROOT)" >&2
    if [ -d "$MEDIA_ROOT" ]; then
      tar -C "$MEDIA_ROOT" -cf "$work/media.tar" .
    else
      tar -cf "$work/media.tar" --files-from /dev/null
    fi
    media_note="media.tar: $(tar -tf "$work/media.tar" | grep -vc '/$' || true) files from $MEDIA_ROOT"
  fi

  {
    echo "created_at: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database_kind: $DB_KIND"
    echo "database: $DB_LABEL"
    echo "media: $media_note"
    [ "$DB_KIND" = postgresql ] && echo "pg_dump: $(pg_dump --version)"
    true
  } >"$work/backup.txt"
  (cd "$work" && sha256sum -- * >SHA256SUMS)

  mv "$work" "$BACKUP_DIR/$name"
  trap - EXIT
  echo "==> backup complete" >&2
  echo "$BACKUP_DIR/$name"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  backup_main "$@"
fi
