#!/bin/bash
# eb-deploy example hook: after the new version went live on this instance, ask it for the
# health-check path through nginx, as the load balancer will, and fail the deploy on this instance
# when it does not answer 200 within a minute. A broken release then fails here, with the
# application's answer in the deploy log, instead of minutes later as a Red environment.
#
#   EB_HEALTH_PATH   the path to ask, e.g. /health/ (the maintenance toggle always passes it);
#                    not set: the check is skipped, so an application without one still deploys
set -euo pipefail

get_config="${EB_GET_CONFIG:-/opt/elasticbeanstalk/bin/get-config}"
health="$("$get_config" environment -k EB_HEALTH_PATH 2>/dev/null || true)"
if [[ -z "$health" ]]; then
  echo "eb-deploy health check: skipped (set the environment property EB_HEALTH_PATH to enable it)"
  exit 0
fi
url="${EB_HEALTH_CHECK_BASE:-http://127.0.0.1}${health}" # the base is overridable for tests only

for attempt in $(seq 1 12); do
  status="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || true)"
  if [[ "$status" == 200 ]]; then
    echo "eb-deploy health check: $url answered 200 (attempt $attempt)"
    exit 0
  fi
  sleep 5
done
echo "eb-deploy health check: $url answered ${status:-nothing}, not 200, for a minute" >&2
curl -s --max-time 5 "$url" | head -c 2000 >&2 || true
exit 1
