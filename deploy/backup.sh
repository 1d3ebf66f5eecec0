#!/bin/sh
# careerbot database backup, restore and a restore check (docs/operations.md).
#
#   deploy/backup.sh backup  DATABASE_URL FILE   write a backup of the database to FILE
#   deploy/backup.sh restore FILE DATABASE_URL   load FILE into an EMPTY database
#   deploy/backup.sh check   DATABASE_URL        back up, restore into a scratch copy and
#                                                compare every table's row count
#
# DATABASE_URL is CAREERBOT_DATABASE_URL: postgresql://user:pass@host:5432/db (needs
# pg_dump, pg_restore and psql of the server's major version or newer) or
# sqlite:////absolute/path.sqlite3 (needs sqlite3). PostgreSQL backups are pg_dump's
# custom format; SQLite backups are a consistent copy taken with `.backup`, safe while
# the bot runs. Nothing here prints the URL (it holds the password).
set -eu

TABLES="chat_settings pinned_cards processed_updates usage_daily uploaded_photos leases conversation_context"

die() { echo "backup.sh: $*" >&2; exit 1; }

sqlite_path() { printf '%s' "${1#sqlite://}"; }

backup() {
    case "$1" in
        postgres://*|postgresql://*) pg_dump --format=custom --no-owner --dbname="$1" --file="$2" ;;
        sqlite://*) sqlite3 "$(sqlite_path "$1")" ".backup '$2'" ;;
        *) die "unknown database URL scheme (postgresql:// or sqlite:///)" ;;
    esac
}

restore() {
    case "$2" in
        postgres://*|postgresql://*) pg_restore --no-owner --exit-on-error --dbname="$2" "$1" ;;
        sqlite://*)
            target=$(sqlite_path "$2")
            [ ! -s "$target" ] || die "$target exists and is not empty: restore into a new file"
            sqlite3 "$target" ".restore '$1'" ;;
        *) die "unknown database URL scheme (postgresql:// or sqlite:///)" ;;
    esac
}

counts() {
    for table in $TABLES; do
        case "$1" in
            postgres://*|postgresql://*)
                n=$(psql --no-psqlrc --tuples-only --no-align --dbname="$1" \
                    --command="SELECT count(*) FROM $table" 2>/dev/null || echo missing) ;;
            sqlite://*)
                n=$(sqlite3 "$(sqlite_path "$1")" "SELECT count(*) FROM $table" 2>/dev/null || echo missing) ;;
        esac
        echo "$table $n"
    done
}

check() {
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    case "$1" in
        postgres://*|postgresql://*)
            base=${1%/*}
            scratch="careerbot_restore_check_$$"
            psql --no-psqlrc --quiet --dbname="$base/postgres" --command="CREATE DATABASE $scratch"
            trap 'psql --no-psqlrc --quiet --dbname="$base/postgres" --command="DROP DATABASE IF EXISTS $scratch"; rm -rf "$work"' EXIT
            copy="$base/$scratch" ;;
        sqlite://*) copy="sqlite:///$work/restored.sqlite3" ;;
        *) die "unknown database URL scheme (postgresql:// or sqlite:///)" ;;
    esac
    backup "$1" "$work/backup"
    restore "$work/backup" "$copy"
    counts "$1" > "$work/before"
    counts "$copy" > "$work/after"
    if ! diff "$work/before" "$work/after" >&2; then
        die "the restored copy differs from the database (row counts above)"
    fi
    echo "backup restores: $(awk '{ s += $2 } END { print s }' "$work/before") rows in $(wc -l < "$work/before") tables match"
}

[ $# -ge 2 ] || die "usage: backup.sh backup URL FILE | restore FILE URL | check URL"
command=$1; shift
case "$command" in
    backup) [ $# -eq 2 ] || die "usage: backup.sh backup URL FILE"; backup "$1" "$2" ;;
    restore) [ $# -eq 2 ] || die "usage: backup.sh restore FILE URL"; restore "$1" "$2" ;;
    check) check "$1" ;;
    *) die "unknown command $command (backup, restore, check)" ;;
esac
