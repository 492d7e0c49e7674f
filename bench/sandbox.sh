# shellcheck shell=bash
# Sourced by the benchmarks (bash): `start_sandbox JAR WORK TIME_SCALE` runs `eb-deploy sandbox`
# from JAR as its own process (full JIT, as the launcher runs it), sets ENDPOINT and SANDBOX_PID,
# and stops it when the script exits. Its output goes to WORK/sandbox.out and WORK/sandbox.err.

SANDBOX_PID=
# shellcheck disable=SC2317 # called by the trap
stop_sandbox() {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
}

start_sandbox() {
  local jar=$1 work=$2 scale=$3
  trap stop_sandbox EXIT
  : > "$work/sandbox.out"
  java -jar "$jar" sandbox --port 0 --time-scale "$scale" > "$work/sandbox.out" 2> "$work/sandbox.err" &
  SANDBOX_PID=$!
  for _ in $(seq 1 300); do [ -s "$work/sandbox.out" ] && break; sleep 0.1; done
  ENDPOINT=$(head -n 1 "$work/sandbox.out" | cut -d' ' -f2)
  [ -n "$ENDPOINT" ] || { echo "the sandbox did not start: $(cat "$work/sandbox.err")" >&2; exit 1; }
  echo "== sandbox at $ENDPOINT (pid $SANDBOX_PID)"
}
