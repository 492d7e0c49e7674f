#!/usr/bin/env bash
# `eb-deploy status` as a whole process (launcher, JVM, clients, calls) when the region comes from
# AWS_DEFAULT_REGION only, as CI setups export it: this checkout against an older revision built
# beside it, both against one sandbox in the same run, with hyperfine. Before issue 10 the Java
# SDK's region chain ignored AWS_DEFAULT_REGION and probed the EC2 instance metadata address first
# (about 2 s off EC2). The third command is the older revision with AWS_REGION set, which never
# probed: the floor. Timed with farm-bench (paired runs) where it is installed, else hyperfine.
# See bench/README.md.
#
#   bench/status/run.sh [BEFORE_REV] [RUNS]     (defaults: 9bb33cc, the main before issue 10; 15)
#
# Needs: JDK 17, Maven (offline cache is enough), git, curl, the AWS CLI, hyperfine
# (apt-get install -y hyperfine) or farm-bench. Writes only under bench/results/tmp/ (git-ignored).
set -euo pipefail

BEFORE_REV=${1:-9bb33cc}
RUNS=${2:-15}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/status"
BEFORE="$WORK/before"

for tool in java mvn git curl aws hyperfine; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y hyperfine curl)" >&2; exit 2; }
done
mkdir -p "$WORK"

build() { (cd "$1" && shift && { mvn -q -B -o -Dstyle.color=never "$@" package -DskipTests >/dev/null || mvn -q -B -Dstyle.color=never "$@" package -DskipTests >/dev/null; }); }
echo "== building this checkout's jar"
build "$ROOT"
echo "== building $BEFORE_REV in $BEFORE"
rm -rf "$BEFORE"
git clone -q "$ROOT" "$BEFORE"
git -C "$BEFORE" checkout -q "$BEFORE_REV"
build "$BEFORE"

# shellcheck source=bench/sandbox.sh
. "$HERE/../sandbox.sh"
start_sandbox "$ROOT/cli/target/eb-deploy.jar" "$WORK" 0.01

# What a CI job exports; no AWS_REGION, no AWS_EC2_METADATA_DISABLED, no shared files.
unset AWS_REGION AWS_EC2_METADATA_DISABLED AWS_PROFILE
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
awscli() { aws --endpoint-url "$ENDPOINT" "$@" >/dev/null; }
ARN="arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.1.0"
awscli elasticbeanstalk create-application --application-name Bench
awscli elasticbeanstalk create-environment --application-name Bench --environment-name bench-web \
  --platform-arn "$ARN" --tags Key=env,Value=staging
awscli elasticbeanstalk create-environment --application-name Bench --environment-name bench-worker \
  --platform-arn "$ARN" --tier Name=Worker,Type=SQS/HTTP --tags Key=env,Value=staging
for _ in $(seq 1 100); do
  ready=$(aws --endpoint-url "$ENDPOINT" elasticbeanstalk describe-environments --application-name Bench \
    --query "length(Environments[?Status=='Ready'])" --output text)
  [ "$ready" = 2 ] && break
  sleep 0.2
done

cd "$WORK"
after=("$ROOT/eb-deploy" status staging --endpoint-url "$ENDPOINT")
before="$BEFORE/eb-deploy status staging --endpoint-url $ENDPOINT"
"${after[@]}" > /dev/null || { echo "failed: ${after[*]}" >&2; exit 1; }
$before > /dev/null || { echo "failed: $before" >&2; exit 1; }
if command -v farm-bench >/dev/null; then
  # Paired runs (A B A B ...), so that the ratio holds while the machine's load drifts.
  farm-bench -n "$RUNS" --warmup 2 --timeout 600 --vs "$before" -- "${after[@]}"
  farm-bench -n "$RUNS" --warmup 2 --timeout 600 --vs "env AWS_REGION=us-east-1 $before" -- "${after[@]}"
else
  hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$WORK/status.md" \
    -n "after: AWS_DEFAULT_REGION" "${after[*]}" \
    -n "before ($BEFORE_REV): AWS_DEFAULT_REGION" "$before" \
    -n "before ($BEFORE_REV): AWS_REGION" "env AWS_REGION=us-east-1 $before"
fi
