#!/usr/bin/env bash
# Bundling benchmark: eb-deploy's Bundler against Info-ZIP `zip -r -q` on the same generated tree
# (20,000 files, ~200 MB, one in ten incompressible), in the same run. See bench/README.md.
#
#   bench/bundle/run.sh [RUNS] [FILES]      (defaults: 3 runs, 20000 files)
#
# Needs: JDK 17, Maven (offline cache is enough), git, zip, GNU time (/usr/bin/time; apt-get
# install -y time zip). Writes only under bench/results/tmp/ (git-ignored).
set -euo pipefail

RUNS=${1:-3}
FILES=${2:-20000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/bundle"
TREE="$WORK/tree"

for tool in java javac mvn git zip /usr/bin/time sha256sum; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y time zip)" >&2; exit 2; }
done

echo "== building core (no tests)"
mkdir -p "$WORK"
# One reactor run, so that core's test-scoped sandbox dependency resolves without `mvn install`;
# core is built last, so its runtime classpath is the one left in classpath.txt.
# Offline first; the dependency plugin's own jars may need one online run to be cached.
build() { (cd "$ROOT" && mvn -q -B "$@" package dependency:build-classpath -pl core -am -DskipTests \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null); }
build -o || build
CP="$ROOT/core/target/classes:$(cat "$WORK/classpath.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" "$HERE/BundleBench.java"

if [ ! -f "$TREE/.done-$FILES" ]; then
  echo "== generating $FILES files in $TREE"
  rm -rf "$TREE"
  java "$HERE/GenerateTree.java" "$TREE" "$FILES"
  (cd "$TREE" && git init -q -b main . && git add -A \
    && git -c user.name=bench -c user.email=bench@example.com commit -q -m tree)
  touch "$TREE/.done-$FILES"
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours_wall=(); ours_rss=(); ours_inproc=(); shas=(); zip_wall=()
for i in $(seq 1 "$RUNS"); do
  rm -f "$WORK/ours.zip" "$WORK/infozip.zip"
  # eb-deploy: a fresh JVM capped at 256 MB of heap, as a CLI run would be.
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" \
    java -Xmx256m -cp "$CP:$WORK/classes" BundleBench "$TREE" "$WORK/ours.zip" > "$WORK/ours.txt"
  read -r wall rss < "$WORK/time.txt"
  read -r inproc sha size count < "$WORK/ours.txt"
  ours_wall+=("$wall"); ours_rss+=("$rss"); ours_inproc+=("$inproc"); shas+=("$sha")
  [ "$sha" = "$(sha256sum "$WORK/ours.zip" | cut -d' ' -f1)" ] || { echo "reported sha256 differs from the file's" >&2; exit 1; }
  # Info-ZIP, default level (-6), the same files (git's metadata left out).
  (cd "$TREE" && /usr/bin/time -f "%e %M" -o "$WORK/time.txt" zip -r -q "$WORK/infozip.zip" . -x '.git/*' '.done-*')
  read -r zwall zrss < "$WORK/time.txt"
  zip_wall+=("$zwall")
  printf 'run %d: eb-deploy %6.2f s wall (%5.2f s in-process, peak RSS %d MB, %d files, %d bytes) | zip -r -q %6.2f s (%d bytes)\n' \
    "$i" "$wall" "$(awk "BEGIN {print $inproc/1000}")" "$((rss / 1024))" "$count" "$size" "$zwall" "$(stat -c %s "$WORK/infozip.zip")"
done

ow=$(printf '%s\n' "${ours_wall[@]}" | median)
oi=$(printf '%s\n' "${ours_inproc[@]}" | median)
zw=$(printf '%s\n' "${zip_wall[@]}" | median)
peak=$(printf '%s\n' "${ours_rss[@]}" | sort -n | tail -1)
distinct=$(printf '%s\n' "${shas[@]}" | sort -u | wc -l)
echo "== median of $RUNS: eb-deploy ${ow} s (in-process $(awk "BEGIN {print $oi/1000}") s), zip ${zw} s"
echo "ratio (eb-deploy wall / zip wall): $(awk "BEGIN {printf \"%.2f\", $ow/$zw}")   target <= 1.0"
echo "peak RSS of the eb-deploy JVM (-Xmx256m): $((peak / 1024)) MB   target <= 256 MB"
echo "sha256 over $RUNS runs: ${shas[0]} ($([ "$distinct" = 1 ] && echo identical || echo "DIFFERENT: $distinct values"))"
[ "$distinct" = 1 ]
