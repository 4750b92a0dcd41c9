#!/usr/bin/env bash
# `make run`: migrate, load the demo data into an empty database, then start the
# background worker (with its scheduler) and the web server. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
# Links in e-mails (confirmations, notifications) point at this server.
export SITE_URL="${SITE_URL:-http://127.0.0.1:${PORT}}"

$PY manage.py migrate --noinput
if $PY manage.py load_demo --if-empty; then :; else exit 1; fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# -B: the embedded scheduler (outbox sweep and retries, digests, clean-ups). One per install.
.venv/bin/celery -A brygga worker -B --loglevel=WARNING --concurrency=1 --pool=solo &
pids+=($!)

cat <<MSG

  Brygga körs på http://127.0.0.1:${PORT}/
  Handlingsplanen:    http://127.0.0.1:${PORT}/handlingsplan/
  Personalinloggning: http://127.0.0.1:${PORT}/konto/logga-in/

  Demoinloggningar (lösenord: brygga-demo-2026):
    admin@demo.brygga.se        administratör
    utvecklare@demo.brygga.se   näringslivsutvecklare
    handlaggare@demo.brygga.se  handläggare (Bygglov)
    lasare@demo.brygga.se       läsare

  Avsluta med Ctrl-C.

MSG
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload &
pids+=($!)
wait -n "${pids[@]}"
