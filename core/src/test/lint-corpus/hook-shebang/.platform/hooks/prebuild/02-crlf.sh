#!/bin/bash
set -euo pipefail
echo "windows"
