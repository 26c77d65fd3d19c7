#!/usr/bin/env bash
# Back up one installation: the PostgreSQL database (pg_dump, custom format) and the uploaded files
# (a tar of MEDIA_ROOT), with SHA-256 sums, into a new directory under DEST (default ./backups).
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/var/lib/yiwang/media scripts/backup.sh [DEST]
#   (on a server: set -a; . /etc/yiwang/env; set +a; scripts/backup.sh /var/backups/yiwang)
#
# Prints the directory it wrote. The database is dumped first and the files after it, so every file
# the dump refers to is in the tar (uploads are never deleted by the platform; at worst the tar holds
# a file uploaded during the backup whose row is not in the dump, which is harmless).
# Restore with scripts/restore.sh. Needs pg_dump of the server's major version or newer.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the database to back up (postgres://user:password@host:port/name)}"
: "${MEDIA_ROOT:?set MEDIA_ROOT to the uploaded files directory}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup: DATABASE_URL must be a PostgreSQL URL (the embedded SQLite default: copy db.sqlite3 and media/)" >&2; exit 2 ;;
esac

dest="${1:-backups}/yiwang-$(date -u +%Y%m%dT%H%M%SZ)"
if [ -e "$dest" ]; then
  echo "backup: $dest exists already" >&2
  exit 1
fi
umask 077 # the dump holds personal data: readable by the backup owner only
mkdir -p "$dest"

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$dest/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$dest/media.tar.gz" .
else
  tar -czf "$dest/media.tar.gz" -T /dev/null # nothing uploaded yet
fi
(cd "$dest" && sha256sum database.dump media.tar.gz >SHA256SUMS)
echo "$dest"
