#!/usr/bin/env bash
# Calls per polling tick: for groups of 2, 4 and 8 environments, the sandbox's call log of a group
# deploy's wait phase, cut into ticks and counted (must be 2 per tick, whatever the size), and for
# contrast the same environments deployed by one loop per environment side by side. See
# bench/README.md.
#
#   bench/calls/run.sh [SIZES] [TIME_SCALE] [DEPLOY_SECONDS] [INTERVAL_MS]
#                      (defaults: 2,4,8  0.02  150 simulated seconds = 3 s real  250 ms)
#
# Exits 1 (with the table) when a tick of a group deploy was not exactly one DescribeEnvironments
# for all the group's ids plus one DescribeEvents, 2 on any error.
# Needs: JDK 17, Maven (offline cache is enough), git. Writes only under bench/results/tmp/ (git-ignored).
set -euo pipefail

SIZES=${1:-2,4,8}
SCALE=${2:-0.02}
DEPLOY_SECONDS=${3:-150}
INTERVAL_MS=${4:-250}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/calls"

for tool in java javac mvn git; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building sandbox and core (no tests)"
rm -rf "$WORK"
mkdir -p "$WORK"
# As in bench/deploy/run.sh: one reactor run; core's test classpath carries the sandbox jar.
build() { (cd "$ROOT" && mvn -q -B "$@" package dependency:build-classpath -pl core -am -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null); }
build -o || build
CP="$ROOT/core/target/classes:$(cat "$WORK/classpath.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$ROOT/bench/deploy/BenchSandbox.java" "$HERE/CallsPerTickBench.java"

echo "== running"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP:$WORK/classes" \
  CallsPerTickBench "$SIZES" "$SCALE" "$DEPLOY_SECONDS" "$INTERVAL_MS" "$WORK"
