#!/bin/bash
set -euo pipefail
cd /var/app/current
if [ "${EB_IS_COMMAND_LEADER:-false}" = true ]; then
  python manage.py migrate --noinput
fi
