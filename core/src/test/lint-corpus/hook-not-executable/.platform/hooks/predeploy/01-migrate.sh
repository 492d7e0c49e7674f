#!/bin/bash
set -euo pipefail
echo "not executable"
