#!/bin/bash
# Leaves a line in the instance log naming the version that went live.
set -euo pipefail
if [ -f /var/app/current/mysite/version.json ]; then
  echo "deployed $(cat /var/app/current/mysite/version.json)" | logger -t eb-deploy
fi
