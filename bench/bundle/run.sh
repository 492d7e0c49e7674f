#!/usr/bin/env bash
# Bundling benchmark: `./eb-deploy bundle` as users run it (launcher, JVM start, git, zip, exit)
# against Info-ZIP `zip -r -q -6` of the same generated tree (10,000 files, ~100 MB, one in ten
# incompressible), whole processes, alternating order, in the same run. See bench/README.md.
#
#   bench/bundle/run.sh [RUNS] [FILES]      (defaults: 5 runs, 10000 files)
#
# Needs: JDK 17, Maven (offline cache is enough), git, zip, GNU time (/usr/bin/time; apt-get
# install -y time zip). Writes only under bench/results/tmp/ (git-ignored). Exits 1 when a target
# is missed or when two bundles of the same tree differ (any run, any thread count).
set -euo pipefail

RUNS=${1:-5}
FILES=${2:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/bundle"
TREE="$WORK/tree-$FILES"
TARGET_RATIO=0.6
TARGET_RSS_MB=256

for tool in java mvn git zip /usr/bin/time sha256sum; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y time zip)" >&2; exit 2; }
done

echo "== building the eb-deploy jar and its class data archive (no tests), as a user would"
build() { (cd "$ROOT" && mvn -q -B -Dstyle.color=never "$@" package -DskipTests >/dev/null); }
build -o || build
mkdir -p "$WORK"

if [ ! -f "$TREE.done" ]; then
  echo "== generating $FILES files in $TREE"
  rm -rf "$TREE"
  java "$HERE/GenerateTree.java" "$TREE" "$FILES"
  (cd "$TREE" && git init -q -b main . && git add -A \
    && git -c user.name=bench -c user.email=bench@example.com commit -q -m tree)
  touch "$TREE.done"
fi

# Runs a command under GNU time; sets WALL (s), RSS (KB) and CPU (user + system s, children included).
timed() { /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@"; readtime; }
readtime() { read -r WALL RSS user sys < "$WORK/time.txt"; CPU=$(awk "BEGIN {print $user + $sys}"); }
# eb-deploy: the launcher, as a user runs it; the fixed label and USER make the version file, and so
# the bytes, the same on every run. Sets SHA (the reported sha256, checked against the file's).
ours() { # [JAVA OPTIONS]
  rm -f "$WORK/ours.zip"
  EB_DEPLOY_JAVA_OPTS="${1:-}" USER=bench timed "$ROOT/eb-deploy" bundle --project-dir "$TREE" \
    -o "$WORK/ours.zip" --label bench --output json > "$WORK/ours.json"
  SHA=$(grep -o '"sha256" : "[0-9a-f]*"' "$WORK/ours.json" | grep -o '[0-9a-f]\{64\}')
  [ "$SHA" = "$(sha256sum "$WORK/ours.zip" | cut -d' ' -f1)" ] \
    || { echo "the reported sha256 is not the file's" >&2; exit 1; }
}
# Info-ZIP at its default level, the same files (git's metadata left out).
infozip() {
  rm -f "$WORK/infozip.zip"
  (cd "$TREE" && /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" zip -r -q -6 "$WORK/infozip.zip" . -x '.git/*')
  readtime
}
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk "BEGIN {printf \"%.2f\", $1/$2}"; }

echo "== warm-up (page cache, not counted); load average $(uptime | sed 's/.*average: //')"
ours; infozip

o_wall=(); o_rss=(); o_cpu=(); z_wall=(); z_cpu=(); shas=(); ratios=(); loads=()
for i in $(seq 1 "$RUNS"); do
  loads+=("$(load)")
  # Alternate who goes first, so that neither always meets the other's leftovers.
  for side in $( [ $((i % 2)) = 1 ] && echo "ours zip" || echo "zip ours"); do
    if [ "$side" = ours ]; then
      ours; o_wall+=("$WALL"); o_rss+=("$RSS"); o_cpu+=("$CPU"); shas+=("$SHA")
    else
      infozip; z_wall+=("$WALL"); z_cpu+=("$CPU")
    fi
  done
  ratios+=("$(ratio "${o_wall[-1]}" "${z_wall[-1]}")")
  printf 'run %d (load %s): eb-deploy bundle %5.2f s (CPU %5.2f s, peak RSS %3d MB) | zip -r -q -6 %5.2f s (CPU %5.2f s) | ratio %s\n' \
    "$i" "${loads[-1]}" "${o_wall[-1]}" "${o_cpu[-1]}" "$((o_rss[-1] / 1024))" "${z_wall[-1]}" "${z_cpu[-1]}" "${ratios[-1]}"
done

echo "== the same bundle with 1 and 4 threads (-XX:ActiveProcessorCount)"
for cpus in 1 4; do
  ours "-XX:ActiveProcessorCount=$cpus"; shas+=("$SHA")
  printf '%d threads: %5.2f s, sha256 %s\n' "$cpus" "$WALL" "$SHA"
done

# The fixed cost: the same command on a one-file project (JVM, command line, git), what no
# compression can win back.
TINY="$WORK/one-file"
if [ ! -d "$TINY/.git" ]; then
  mkdir -p "$TINY" && printf 'print(1)\n' > "$TINY/app.py"
  (cd "$TINY" && git init -q -b main . && git add -A \
    && git -c user.name=bench -c user.email=bench@example.com commit -q -m one)
fi
t_wall=(); t_cpu=()
for _ in 1 2 3; do
  USER=bench timed "$ROOT/eb-deploy" bundle --project-dir "$TINY" -o "$WORK/one.zip" --label bench > /dev/null
  t_wall+=("$WALL"); t_cpu+=("$CPU")
done

ow=$(printf '%s\n' "${o_wall[@]}" | median)
zw=$(printf '%s\n' "${z_wall[@]}" | median)
peak=$(( $(printf '%s\n' "${o_rss[@]}" | sort -n | tail -1) / 1024 ))
distinct=$(printf '%s\n' "${shas[@]}" | sort -u | wc -l)
r=$(ratio "$ow" "$zw")
echo
echo "== medians of $RUNS runs, $FILES files ($(du -sh --exclude=.git "$TREE" | cut -f1)), load average ${loads[*]}"
echo "eb-deploy bundle: ${ow} s (CPU $(printf '%s\n' "${o_cpu[@]}" | median) s), $(stat -c %s "$WORK/ours.zip") bytes"
echo "zip -r -q -6:     ${zw} s (CPU $(printf '%s\n' "${z_cpu[@]}" | median) s), $(stat -c %s "$WORK/infozip.zip") bytes"
echo "one-file project:  $(printf '%s\n' "${t_wall[@]}" | median) s (CPU $(printf '%s\n' "${t_cpu[@]}" | median) s): the fixed cost of the process"
echo "ratio (eb-deploy / zip, medians): $r   (per run: ${ratios[*]})   target <= $TARGET_RATIO"
echo "peak RSS of eb-deploy (max of $RUNS): $peak MB   target <= $TARGET_RSS_MB MB"
echo "sha256 over $((RUNS + 2)) bundles: ${shas[0]} ($([ "$distinct" = 1 ] && echo identical || echo "DIFFERENT: $distinct values"))"

fail=0
[ "$distinct" = 1 ] || fail=1
awk "BEGIN {exit !($r > $TARGET_RATIO)}" && { echo "MISSED: ratio $r > $TARGET_RATIO" >&2; fail=1; }
[ "$peak" -le "$TARGET_RSS_MB" ] || { echo "MISSED: peak RSS $peak MB > $TARGET_RSS_MB MB" >&2; fail=1; }
[ "$fail" = 0 ] && echo "all targets met"
exit "$fail"
