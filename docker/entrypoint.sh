#!/bin/sh
# Container start-up: check the configuration, wait for the database, apply
# migrations, make sure a search index exists, optionally ingest the issue
# files under $INGEST_ON_START, then replace this shell with the command
# (gunicorn by default, see the Dockerfile's CMD).
#
# Outside a container it runs the same way from a checkout:
#     PYTHON=.venv/bin/python docker/entrypoint.sh true
set -eu

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python}"

say() { echo "entrypoint: $*" >&2; }

case "${DEBUG:-0}" in
  1|true|True|yes|on) debug=1 ;;
  *) debug=0 ;;
esac
if [ "$debug" = 0 ] && [ -z "${SECRET_KEY:-}" ] && [ "${ALLOW_INSECURE_DEV_KEY:-0}" != 1 ]; then
  say "SECRET_KEY is not set. Put a long random value in .env, e.g. from:"
  say "  python -c 'import secrets; print(secrets.token_urlsafe(50))'"
  exit 78
fi
# The settings' own verdict on a key that is set: the example value or too short.
problem=$("$PYTHON" -c 'import config.settings as s; print(s.SECRET_KEY_PROBLEM)')
if [ -n "$problem" ]; then
  say "$problem"
  exit 78
fi

say "waiting for the database"
"$PYTHON" docker/prepare.py wait-for-database --timeout "${DATABASE_WAIT_SECONDS:-60}"

say "applying migrations"
"$PYTHON" manage.py migrate --noinput

index_status=0
"$PYTHON" docker/prepare.py ensure-search-index || index_status=$?
if [ "$index_status" = 3 ]; then
  say "the search index is missing: rebuilding it from the database"
  "$PYTHON" manage.py rebuild_index --noinput
elif [ "$index_status" != 0 ]; then
  exit "$index_status"
fi

if [ -n "${INGEST_ON_START:-}" ]; then
  say "ingesting $INGEST_ON_START"
  # Issues already stored are recognised and skipped; a bad file is reported
  # and must not keep the site from starting.
  # shellcheck disable=SC2086  # several paths or globs on purpose
  "$PYTHON" manage.py ingest --no-progress $INGEST_ON_START || say "some files were not ingested (see above)"
fi

if [ $# -eq 0 ]; then
  set -- gunicorn config.wsgi --config gunicorn.conf.py
fi
say "starting: $*"
exec "$@"
