#!/usr/bin/env bash
# Restore a backup written by scripts/backup.sh into a FRESH database and an empty media directory.
#
#   DATABASE_URL=postgres://.../yiwang_restored MEDIA_ROOT=/var/lib/yiwang/media-restored \
#     scripts/restore.sh backups/yiwang-20261206T020000Z
#
# Checks the SHA-256 sums, creates the database (it must not exist, or exist and be empty), restores
# it with pg_restore in one transaction (all or nothing), and unpacks the files into MEDIA_ROOT (which
# must not exist or be empty). It never overwrites a live installation: to switch over, stop the
# services, point DATABASE_URL and MEDIA_ROOT in /etc/yiwang/env at the restored copies, run
# `manage.py migrate` (a newer release may have migrations the backup predates), start the services.
set -euo pipefail

backup="${1:?usage: scripts/restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?set DATABASE_URL to the database to create (postgres://user:password@host:port/name)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the directory to unpack the files into}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS)

# The server's maintenance database, and the name of the one to create, from DATABASE_URL.
read -r server name < <(python3 - "$DATABASE_URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

url = urlsplit(sys.argv[1])
if url.scheme not in ("postgres", "postgresql") or not url.path.strip("/"):
    sys.exit("restore: DATABASE_URL must be postgres://user:password@host:port/name")
print(urlunsplit(url._replace(path="/postgres")), url.path.strip("/"))
PY
)
case "$name" in
  *[!A-Za-z0-9_]*) echo "restore: use a database name of letters, digits and _ only (got '$name')" >&2; exit 2 ;;
esac

exists="$(psql "$server" -Atq -c "SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [ "$exists" = 1 ]; then
  tables="$(psql "$DATABASE_URL" -Atq -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
  if [ "$tables" != 0 ]; then
    echo "restore: database $name exists and is not empty; restore into a fresh one" >&2
    exit 1
  fi
else
  psql "$server" -q -c "CREATE DATABASE \"$name\""
fi
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "restore: $MEDIA_ROOT is not empty; restore the files into an empty directory" >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" \
  "$backup/database.dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$backup/media.tar.gz"
echo "restored $backup into database $name and $MEDIA_ROOT"
