#!/bin/bash
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
echo checked
