#!/bin/bash
# A change of environment properties alone (EB_MAINTENANCE=on) runs confighooks, not hooks: run
# the same script, which lives once in hooks/predeploy.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../../hooks/predeploy/50-maintenance.sh"
