#!/bin/bash
# Fails the deploy early, on the instance, when the platform's Python is older than the app needs.
set -euo pipefail
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
  || { echo "Python 3.9 or newer is required" >&2; exit 1; }
