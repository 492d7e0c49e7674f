#!/usr/bin/env bash
# Group deploy wall time: eb-deploy's group deploy of 1 web + 3 workers (policy parallel) against
# the per-environment sequential loop (bundle, upload, version, update, wait for each environment in
# turn), on the local sandbox, alternating in the same run. See bench/README.md.
#
#   bench/deploy/run.sh [RUNS] [TIME_SCALE] [DEPLOY_SECONDS]
#                       (defaults: 5 runs, 0.02, 100 simulated seconds = 2 s real per deploy)
#
# Exits 1 (with the numbers) when the ratio of the medians is above 0.35, 2 on any error.
# Needs: JDK 17, Maven (offline cache is enough), git. Writes only under bench/results/tmp/ (git-ignored).
set -euo pipefail

RUNS=${1:-5}
SCALE=${2:-0.02}
DEPLOY_SECONDS=${3:-100}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/deploy"

for tool in java javac mvn git; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building sandbox and core (no tests)"
rm -rf "$WORK"
mkdir -p "$WORK"
# One reactor run, so that core's test-scoped sandbox dependency resolves without `mvn install`;
# core is built last, so its test classpath (which has the sandbox jar) is the one left in
# classpath.txt. Offline first; the dependency plugin may need one online run to be cached.
build() { (cd "$ROOT" && mvn -q -B "$@" package dependency:build-classpath -pl core -am -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null); }
build -o || build
CP="$ROOT/core/target/classes:$(cat "$WORK/classpath.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$HERE/BenchSandbox.java" "$HERE/GroupDeployBench.java"

echo "== running"
# slf4j-simple (on the test classpath) would log the SDK's warnings: keep them, drop INFO.
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP:$WORK/classes" \
  GroupDeployBench "$RUNS" "$SCALE" "$DEPLOY_SECONDS" "$WORK"
