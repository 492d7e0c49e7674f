#!/usr/bin/env bash
# Static files benchmark: `eb-deploy assets` against `aws s3 sync`, whole processes, to the same
# sandbox endpoint in the same run: 5,000 files (~50 MB), a first sync and a no-op re-sync, PUTs
# counted from the sandbox's call log, peak RSS, then the sync step's own time inside a deploy.
# See bench/README.md.
#
#   bench/assets/run.sh [RUNS] [FILES]      (defaults: 3 runs, 5000 files)
#
# Needs: JDK 17, Maven (offline cache is enough), git, curl, the AWS CLI (`aws`), GNU time
# (/usr/bin/time; apt-get install -y time). Writes only under bench/results/tmp/ (git-ignored).
# Exits 1 when a target is missed.
set -euo pipefail

RUNS=${1:-3}
FILES=${2:-5000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK="$ROOT/bench/results/tmp/assets"
TREE="$WORK/tree-$FILES"
JAR="$ROOT/cli/target/eb-deploy.jar"

for tool in java mvn git curl aws /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y time curl)" >&2; exit 2; }
done

echo "== building the eb-deploy jar (no tests)"
build() { (cd "$ROOT" && mvn -q -B -Dstyle.color=never "$@" package -DskipTests >/dev/null); }
build -o || build
mkdir -p "$WORK"

if [ ! -f "$TREE/.done" ]; then
  echo "== generating $FILES files in $TREE"
  rm -rf "$TREE"
  java "$HERE/GenerateAssets.java" "$TREE/static" "$FILES"
  touch "$TREE/.done"
fi

# shellcheck source=bench/sandbox.sh
. "$HERE/../sandbox.sh"
start_sandbox "$JAR" "$WORK" 0.02

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
awscli() { aws --endpoint-url "$ENDPOINT" "$@"; }
clear_calls() { curl -sf -X DELETE "$ENDPOINT/_sandbox/calls" >/dev/null; }
# PUTs (PutObject, UploadPart) that reached BUCKET since the last clear_calls.
puts() { curl -sf "$ENDPOINT/_sandbox/calls" | grep -E '"action":"(PutObject|UploadPart)"' | grep -c "\"Bucket\":\"$1\"" || true; }
# Runs a command under GNU time; sets WALL (s) and RSS (KB).
timed() { /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@"; read -r WALL RSS < "$WORK/time.txt"; }

# Our side: a project whose eb-deploy.yml points static.dir at the tree.
project() { # BUCKET -> project dir
  local p="$WORK/project-$1"
  mkdir -p "$p"
  ln -sfn "$TREE/static" "$p/static"
  printf 'static:\n  dir: static\n  bucket: %s\n  prefix: static\n' "$1" > "$p/eb-deploy.yml"
  echo "$p"
}
ours() { # BUCKET
  timed "$ROOT/eb-deploy" assets bench --project-dir "$(project "$1")" --endpoint-url "$ENDPOINT" \
    --region us-east-1 --output json > "$WORK/ours.json"
}
cli() { # BUCKET
  timed aws --endpoint-url "$ENDPOINT" s3 sync "$TREE/static" "s3://$1/static/" --only-show-errors
}
# The first number under KEY in a JSON FILE that eb-deploy pretty-printed.
jfield() { grep -o "\"$2\" : [0-9]*" "$1" | head -n 1 | grep -o '[0-9]*$'; }
field() { jfield "$WORK/ours.json" "$1"; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk "BEGIN {printf \"%.2f\", $1/$2}"; }

o_first=(); o_noop=(); c_first=(); c_noop=(); o_rss=(); c_rss=(); o_noop_puts=(); c_noop_puts=()
for i in $(seq 1 "$RUNS"); do
  awscli s3 mb "s3://cli-$i" >/dev/null
  awscli s3 mb "s3://ours-$i" >/dev/null
  # Alternate who goes first, so that neither always meets a warmer sandbox.
  for side in $( [ $((i % 2)) = 1 ] && echo "cli ours" || echo "ours cli"); do
    clear_calls
    if [ "$side" = ours ]; then
      ours "ours-$i"; o_first+=("$WALL"); o_rss+=("$RSS")
      [ "$(field uploaded)" = "$FILES" ] || { echo "ours uploaded $(field uploaded) of $FILES" >&2; exit 1; }
      p=$(puts "ours-$i"); of_puts=$p
    else
      cli "cli-$i"; c_first+=("$WALL"); c_rss+=("$RSS"); p=$(puts "cli-$i"); cf_puts=$p
    fi
  done
  for side in $( [ $((i % 2)) = 1 ] && echo "cli ours" || echo "ours cli"); do
    clear_calls
    if [ "$side" = ours ]; then
      ours "ours-$i"; o_noop+=("$WALL"); o_rss+=("$RSS"); o_noop_puts+=("$(puts "ours-$i")")
      [ "$(field skipped)" = "$FILES" ] || { echo "ours skipped $(field skipped) of $FILES" >&2; exit 1; }
    else
      cli "cli-$i"; c_noop+=("$WALL"); c_rss+=("$RSS"); c_noop_puts+=("$(puts "cli-$i")")
    fi
  done
  printf 'run %d: first sync: eb-deploy %6.2f s (%d PUTs) | aws s3 sync %6.2f s (%d PUTs);  no-op: eb-deploy %5.2f s (%d PUTs) | aws s3 sync %5.2f s (%d PUTs)\n' \
    "$i" "${o_first[-1]}" "$of_puts" "${c_first[-1]}" "$cf_puts" "${o_noop[-1]}" "${o_noop_puts[-1]}" "${c_noop[-1]}" "${c_noop_puts[-1]}"
done

of=$(printf '%s\n' "${o_first[@]}" | median); cf=$(printf '%s\n' "${c_first[@]}" | median)
on=$(printf '%s\n' "${o_noop[@]}" | median); cn=$(printf '%s\n' "${c_noop[@]}" | median)
orss=$(printf '%s\n' "${o_rss[@]}" | sort -n | tail -1); crss=$(printf '%s\n' "${c_rss[@]}" | sort -n | tail -1)
noop_puts=$(printf '%s\n' "${o_noop_puts[@]}" | sort -n | tail -1)
first_ratio=$(ratio "$of" "$cf"); noop_ratio=$(ratio "$on" "$cn")

# The sync step inside a deploy: a group of one web environment tagged env=bench, two deploys
# (the first uploads everything, the second nothing), their assets timings from --output json.
echo "== inside a deploy"
awscli s3 mb s3://deploy-assets >/dev/null
awscli elasticbeanstalk create-application --application-name bench >/dev/null
awscli elasticbeanstalk create-environment --application-name bench --environment-name bench-web \
  --platform-arn "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.1.0" \
  --tags Key=env,Value=bench >/dev/null
for _ in $(seq 1 300); do
  [ "$(awscli elasticbeanstalk describe-environments --environment-names bench-web --query 'Environments[0].Status' --output text)" = Ready ] && break
  sleep 0.2
done
DP="$WORK/deploy-project"
rm -rf "$DP"; mkdir -p "$DP"
printf 'def application(environ, start_response):\n    return []\n' > "$DP/application.py"
printf 'static/\n' > "$DP/.gitignore"
printf 'static:\n  dir: static\n  bucket: deploy-assets\n  keep-releases: 1\n' > "$DP/eb-deploy.yml"
(cd "$DP" && git init -q -b main . && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -q -m app)
ln -sfn "$TREE/static" "$DP/static"
deploy_assets() { # LABEL -> "plan upload prune total" in ms
  "$ROOT/eb-deploy" deploy bench --project-dir "$DP" --endpoint-url "$ENDPOINT" --region us-east-1 \
    --label "$1" --output json > "$WORK/deploy.json" 2> "$WORK/deploy.err" || { cat "$WORK/deploy.err" >&2; exit 1; }
  local j="$WORK/deploy.json"
  echo "$(jfield "$j" planMillis) $(jfield "$j" uploadMillis) $(jfield "$j" pruneMillis)" \
    "$(jfield "$j" durationMillis) $(jfield "$j" uploaded) $(jfield "$j" skipped)"
}
read -r d1p d1u d1r d1t d1n _ <<< "$(deploy_assets bench-1)"
read -r d2p d2u d2r d2t _ d2s <<< "$(deploy_assets bench-2)"

echo
echo "== medians of $RUNS runs, $FILES files ($(du -sLh "$TREE/static" | cut -f1))"
printf '%-22s %12s %12s %8s %8s\n' "" "eb-deploy" "aws s3 sync" ratio target
printf '%-22s %10s s %10s s %8s %8s\n' "first sync" "$of" "$cf" "$first_ratio" "<= 0.5"
printf '%-22s %10s s %10s s %8s %8s\n' "no-op re-sync" "$on" "$cn" "$noop_ratio" "<= 1.0"
printf '%-22s %12s %12s\n' "PUTs in no-op (max)" "$noop_puts" "$(printf '%s\n' "${c_noop_puts[@]}" | sort -n | tail -1)"
printf '%-22s %9s MB %9s MB\n' "peak RSS (max)" "$((orss / 1024))" "$((crss / 1024))"
echo "inside a deploy (ms):  first: plan ${d1p} + upload ${d1u} = sync $((d1p + d1u)) ($d1n uploaded), prune ${d1r}, deploy ${d1t}"
echo "                       again: plan ${d2p} + upload ${d2u} = sync $((d2p + d2u)) ($d2s unchanged), prune ${d2r}, deploy ${d2t}"

fail=0
awk "BEGIN {exit !($first_ratio > 0.5)}" && { echo "MISSED: first sync ratio $first_ratio > 0.5" >&2; fail=1; }
awk "BEGIN {exit !($noop_ratio > 1.0)}" && { echo "MISSED: no-op ratio $noop_ratio > 1.0" >&2; fail=1; }
[ "$noop_puts" = 0 ] || { echo "MISSED: the no-op re-sync made $noop_puts PUTs" >&2; fail=1; }
[ "$fail" = 0 ] && echo "all targets met"
exit "$fail"
