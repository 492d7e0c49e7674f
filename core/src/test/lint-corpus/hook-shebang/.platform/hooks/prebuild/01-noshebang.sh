set -euo pipefail
echo "no shebang"
