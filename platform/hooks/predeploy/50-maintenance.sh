#!/bin/bash
# eb-deploy maintenance toggle: writes the environment properties that drive
# nginx/conf.d/elasticbeanstalk/50-maintenance.conf into a file nginx includes, because nginx
# cannot read environment properties itself. Runs before every deploy (hooks/predeploy) and, through
# confighooks/predeploy, after a change of environment properties alone. See platform/README.md.
#
#   EB_MAINTENANCE         on (also true, yes, 1) serves the maintenance page; anything else: off
#   EB_MAINTENANCE_BYPASS  the secret a request must send in X-Maintenance-Bypass to pass; at least
#                          16 characters of A-Z a-z 0-9 . _ ~ + / = -; empty: nobody passes
#   EB_HEALTH_PATH         the load balancer's health-check path, always passed (default /health/)
#
# The secret is never printed: not by this script (no `set -x`), and nginx does not log request
# headers in the platform's log format.
set -euo pipefail

# Overridable for tests only; on an instance these are the platform's paths.
get_config="${EB_GET_CONFIG:-/opt/elasticbeanstalk/bin/get-config}"
nginx_dir="${EB_NGINX_DIR:-/etc/nginx}"
state_dir="$nginx_dir/eb-maintenance"

# The value of an environment property, empty when it is not set.
property() {
  "$get_config" environment -k "$1" 2>/dev/null || true
}

mode="$(property EB_MAINTENANCE)"
secret="$(property EB_MAINTENANCE_BYPASS)"
health="$(property EB_HEALTH_PATH)"
health="${health:-/health/}"

case "${mode,,}" in
  on | true | yes | 1) mode=on ;;
  *) mode=off ;;
esac

# Only characters that need no quoting in nginx: nothing here can change the configuration.
if [[ -n "$secret" && ! "$secret" =~ ^[A-Za-z0-9._~+/=-]{16,}$ ]]; then
  echo "eb-deploy maintenance: EB_MAINTENANCE_BYPASS must be at least 16 characters of" \
    "A-Z a-z 0-9 . _ ~ + / = - (value not shown); generate one with: openssl rand -hex 24" >&2
  exit 1
fi
if [[ ! "$health" =~ ^/[A-Za-z0-9._~/-]*$ ]]; then
  echo "eb-deploy maintenance: EB_HEALTH_PATH must be a path such as /health/, got '$health'" >&2
  exit 1
fi

umask 077
mkdir -p "$state_dir"
tmp="$(mktemp "$state_dir/.state.XXXXXX")"
{
  echo "# Written by .platform/hooks/predeploy/50-maintenance.sh; do not edit."
  echo "set \$eb_maintenance $mode;"
  echo "set \$eb_health_path \"$health\";"
  if [[ -n "$secret" ]]; then
    echo "set \$eb_maintenance_secret \"$secret\";"
  fi
} >"$tmp"
mv -f "$tmp" "$state_dir/state.conf"

if [[ "$mode" == on ]]; then
  if [[ -n "$secret" ]]; then
    echo "eb-deploy maintenance: on; $health and requests with the bypass header pass"
  else
    echo "eb-deploy maintenance: on; only $health passes (EB_MAINTENANCE_BYPASS is not set)"
  fi
else
  echo "eb-deploy maintenance: off"
fi
