#!/bin/bash
# Builds the GIS libraries GeoDjango needs (SQLite, GEOS, PROJ + proj-data, libspatialite, GDAL)
# from pinned, checksummed tarballs into a prefix, on an Elastic Beanstalk base AMI's instance or
# by hand. Invariants:
# - no package is installed and nothing is extracted or built before every tarball needed has
#   been checked against its SHA-256 from versions.env;
# - a library is skipped only when its stamp (PREFIX/share/eb-deploy-ami/stamps/LIB) carries the
#   same pin key (its version, checksum, build system, flags, the prefix, and the keys of every
#   library before it) and its own tool reports the pinned version;
# - every run that gets past argument parsing ends with one line EB_DEPLOY_AMI_RESULT=ok|failed on
#   stdout (the contract with `eb-deploy ami build` and Packer, see ami/README.md), and writes
#   the same outcome to PREFIX/share/eb-deploy-ami/result and to --result-file.
set -euo pipefail
set -o errtrace

readonly LIBS=(sqlite geos proj proj-data libspatialite gdal)
readonly EXIT_BUILD=1 EXIT_USAGE=2 EXIT_SOURCES=3 EXIT_VERIFY=4
readonly ME=create_ami.sh
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR

# Options, with their defaults.
PROFILE=""
PREFIX=/usr/local
JOBS=""
SOURCES=""
VERSIONS="$SCRIPT_DIR/versions.env"
DRY_RUN=no
LOG=""
RESULT_FILE=""
INSTALL_PACKAGES=yes
CLOUD_INIT_WAIT=yes
LD_SO_CONF=/etc/ld.so.conf.d/eb-deploy-ami.conf
WORK=""
ONLY=""

# State.
declare -A PIN=()
declare -A SELECTED=()
declare -A ACTION=() # LIB -> build | skip | not-selected
declare -A REASON=()
declare -A KEY=()
declare -A TARBALL=()
PKEY=""
STEP=arguments
STARTED=no
FAILED_COMMAND=""
FAILURE_MESSAGE=""
WORK_CREATED=no
PKG_MANAGER=""
PACKAGES=()
CMAKE=cmake

usage() {
  cat <<EOF
Usage: $ME --profile NAME [options]

Builds SQLite, GEOS, PROJ (+ proj-data), libspatialite and GDAL, in that order, from the pinned
and checksummed tarballs of versions.env into a prefix, registers the prefix's lib directory with
the dynamic linker, and checks that every tool reports its pinned version. A library already
installed at its pin is skipped, so a second run changes nothing.

Options:
  --profile NAME        the set of versions to build: $(profile_names_or_placeholder)
  --prefix DIR          install prefix, absolute (default /usr/local)
  --jobs N              parallel build jobs (default: the number of processors)
  --sources DIR         take the tarballs from DIR (named as in their URLs) instead of downloading
  --only LIB[,LIB...]   build and check only these: ${LIBS[*]}
  --dry-run             print the plan (versions, URLs, checksums, flags, what is installed) and
                        check the inputs; change nothing
  --log FILE            send the build tools' output to FILE (appended); the console gets the
                        steps, and the end of FILE when a step fails
  --result-file FILE    also write the outcome (KEY=VALUE lines) to FILE
  --versions FILE       the pins (default: versions.env beside this script)
  --work-dir DIR        build in DIR (default: a new directory under \${TMPDIR:-/var/tmp}, removed
                        after a successful run, kept after a failure)
  --no-packages         do not install build dependencies with dnf/yum (for other distributions,
                        tests, or a machine already prepared)
  --no-cloud-init-wait  do not wait for cloud-init before installing packages (never needed under
                        cloud-init itself: the script notices and does not wait for its parent)
  --ld-so-conf FILE     the dynamic linker entry to write (default $LD_SO_CONF)
  --no-ld-so-conf       write no entry and do not run ldconfig (the programs still find their
                        libraries through their RPATH)
  -h, --help            this help

Exit codes: 0 built and verified, $EXIT_BUILD a step failed, $EXIT_USAGE bad arguments or versions file,
$EXIT_SOURCES a tarball missing or its checksum wrong (nothing built), $EXIT_VERIFY built but a check failed.
EOF
}

profile_names_or_placeholder() {
  local names
  names=$(sed -n 's/^PROFILES="\(.*\)"$/\1/p' "$VERSIONS" 2>/dev/null) || true
  names=${names// /, }
  printf '%s' "${names:-see versions.env}"
}

# --- output -------------------------------------------------------------------------------------

say() {
  printf '[eb-deploy-ami] %s\n' "$*"
  if [[ -n $LOG ]]; then
    printf '[eb-deploy-ami] %s\n' "$*" >>"$LOG"
  fi
}

warn() {
  say "warning: $*"
}

# Stops with CODE after MESSAGE; the EXIT trap reports it.
fail() {
  local code=$1
  shift
  FAILURE_MESSAGE="$*"
  printf '%s: %s\n' "$ME" "$*" >&2
  if [[ -n $LOG ]]; then
    printf '%s: %s\n' "$ME" "$*" >>"$LOG"
  fi
  exit "$code"
}

usage_error() {
  fail "$EXIT_USAGE" "$* (see $ME --help)"
}

# Runs a command, echoed first; its output goes to the log when there is one. A failure stops the
# script with EXIT_BUILD and names the command.
run() {
  local rc=0
  if [[ -n $LOG ]]; then
    printf '+ %s\n' "$*" >>"$LOG"
    "$@" >>"$LOG" 2>&1 || rc=$?
  else
    printf '+ %s\n' "$*"
    "$@" || rc=$?
  fi
  if ((rc != 0)); then
    fail "$EXIT_BUILD" "step $STEP: exit $rc from: $*"
  fi
}

run_in() {
  local dir=$1 back=$PWD
  shift
  cd "$dir"
  run "$@"
  cd "$back"
}

on_error() {
  FAILED_COMMAND=$BASH_COMMAND
}

on_exit() {
  local code=$?
  trap - EXIT ERR
  if [[ $STARTED == no || $DRY_RUN == yes ]]; then
    exit "$code"
  fi
  case $code in
    0 | "$EXIT_BUILD" | "$EXIT_USAGE" | "$EXIT_SOURCES" | "$EXIT_VERIFY" | 130 | 143) ;;
    *) code=$EXIT_BUILD ;; # an unexpected command failure (set -e) counts as a failed step
  esac
  if ((code == 0)); then
    report ok 0
    if [[ $WORK_CREATED == yes ]]; then
      rm -rf "$WORK"
    fi
  else
    if [[ -z $FAILURE_MESSAGE && -n $FAILED_COMMAND ]]; then
      FAILURE_MESSAGE="command failed (exit $code): $FAILED_COMMAND"
      printf '%s: step %s: %s\n' "$ME" "$STEP" "$FAILURE_MESSAGE" >&2
    fi
    if [[ -n $LOG && -f $LOG && $STEP == build:* ]]; then
      printf '%s: the last lines of %s:\n' "$ME" "$LOG" >&2
      tail -n 40 "$LOG" >&2 || true
    fi
    if [[ $WORK_CREATED == yes && -d $WORK ]]; then
      printf '%s: the build tree is kept in %s\n' "$ME" "$WORK" >&2
    fi
    report failed "$code"
  fi
  exit "$code"
}

on_signal() {
  FAILURE_MESSAGE="interrupted by SIG$1"
  printf '%s: %s during step %s\n' "$ME" "$FAILURE_MESSAGE" "$STEP" >&2
  if [[ $1 == INT ]]; then exit 130; fi
  exit 143
}

# The outcome: KEY=VALUE lines in the stamp directory and --result-file, then one console line.
report() {
  local result=$1 code=$2 lib line
  local -a fields=("result=$result" "profile=$PROFILE" "prefix=$PREFIX")
  if [[ $result == ok ]]; then
    for lib in "${LIBS[@]}"; do
      if [[ -n ${SELECTED[$lib]:-} ]]; then
        fields+=("$lib=${VERSION[$lib]}")
      fi
    done
  else
    fields+=("step=$STEP" "exit=$code")
  fi
  line="EB_DEPLOY_AMI_RESULT=$result ${fields[*]:1}"
  local body now
  printf -v now '%(%Y-%m-%dT%H:%M:%SZ)T' -1
  printf -v body '%s\n' "${fields[@]}" "message=${FAILURE_MESSAGE//$'\n'/ }" ${LOG:+"log=$LOG"} "finished=$now"
  if [[ -d $PREFIX/share/eb-deploy-ami ]]; then
    write_file "$PREFIX/share/eb-deploy-ami/result" "$body" || true
  fi
  if [[ -n $RESULT_FILE ]]; then
    write_file "$RESULT_FILE" "$body" || printf '%s: cannot write %s\n' "$ME" "$RESULT_FILE" >&2
  fi
  if [[ -n $LOG ]]; then
    printf '%s\n' "$line" >>"$LOG"
  fi
  printf '%s\n' "$line"
}

# Writes CONTENT to FILE through a temporary file beside it, so a reader never sees half a file.
write_file() {
  local file=$1 content=$2 tmp=$1.tmp.$$
  if [[ ! -d ${file%/*} ]]; then mkdir -p "${file%/*}" || return 1; fi
  printf '%s' "$content" >"$tmp" && mv -f "$tmp" "$file"
}

# --- arguments and pins -------------------------------------------------------------------------

parse_args() {
  while (($# > 0)); do
    case $1 in
      --profile | --prefix | --jobs | --sources | --log | --result-file | --versions | --work-dir | --ld-so-conf | --only)
        if (($# < 2)) || [[ $2 == --* ]]; then
          usage_error "$1 needs a value"
        fi
        case $1 in
          --profile) PROFILE=$2 ;;
          --prefix) PREFIX=$2 ;;
          --jobs) JOBS=$2 ;;
          --sources) SOURCES=$2 ;;
          --log) LOG=$2 ;;
          --result-file) RESULT_FILE=$2 ;;
          --versions) VERSIONS=$2 ;;
          --work-dir) WORK=$2 ;;
          --ld-so-conf) LD_SO_CONF=$2 ;;
          --only) ONLY=$2 ;;
        esac
        shift 2
        ;;
      --profile=* | --prefix=* | --jobs=* | --sources=* | --log=* | --result-file=* | --versions=* | --work-dir=* | --ld-so-conf=* | --only=*)
        local name=${1%%=*}
        set -- "$name" "${1#*=}" "${@:2}"
        ;;
      --dry-run) DRY_RUN=yes && shift ;;
      --no-packages) INSTALL_PACKAGES=no && shift ;;
      --no-cloud-init-wait) CLOUD_INIT_WAIT=no && shift ;;
      --no-ld-so-conf) LD_SO_CONF="" && shift ;;
      -h | --help)
        STARTED=no
        usage
        exit 0
        ;;
      *) usage_error "unknown option '$1'" ;;
    esac
  done
}

# Reads versions.env without executing it: KEY=VALUE or KEY="VALUE", comments, blank lines.
load_versions() {
  local n=0 line
  local quoted='^([A-Z][A-Z0-9_]*)="([^"]*)"[[:space:]]*$'
  local plain='^([A-Z][A-Z0-9_]*)=([^"[:space:]]*)[[:space:]]*$'
  [[ -f $VERSIONS && -r $VERSIONS ]] || usage_error "cannot read the versions file '$VERSIONS': pass --versions FILE"
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n + 1))
    if [[ $line =~ ^[[:space:]]*(#.*)?$ ]]; then
      continue
    elif [[ $line =~ $quoted || $line =~ $plain ]]; then
      PIN[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
    else
      usage_error "$VERSIONS line $n is not KEY=VALUE or KEY=\"VALUE\": $line"
    fi
  done <"$VERSIONS"
}

lib_key() {
  local k=${1^^}
  REPLY=${k//-/_}
}

# The selected profile's pins of every library, read once into these arrays (no subshells: the
# builder may be busy, and every fork counts).
declare -A VERSION=() URL=() SHA256=() CHECKSUM_SOURCE=() BUILD=() FLAGS=() FILE=()

load_profile() {
  local lib field value
  for lib in "${LIBS[@]}"; do
    lib_key "$lib"
    for field in VERSION URL SHA256 CHECKSUM_SOURCE BUILD FLAGS; do
      value=${PIN[${PKEY}_${REPLY}_$field]:-}
      if [[ -z $value && $field != FLAGS ]]; then
        usage_error "$VERSIONS has no ${PKEY}_${REPLY}_$field for $lib in profile $PROFILE"
      fi
      case $field in
        VERSION) VERSION[$lib]=$value ;;
        URL) URL[$lib]=$value FILE[$lib]=${value##*/} ;;
        SHA256) SHA256[$lib]=$value ;;
        CHECKSUM_SOURCE) CHECKSUM_SOURCE[$lib]=$value ;;
        BUILD) BUILD[$lib]=$value ;;
        FLAGS) FLAGS[$lib]=${value//@PREFIX@/$PREFIX} ;;
      esac
    done
    [[ ${SHA256[$lib]} =~ ^[0-9a-f]{64}$ ]] || usage_error "${PKEY}_${REPLY}_SHA256 in $VERSIONS is not 64 lower-case hex digits: ${SHA256[$lib]}"
    case ${BUILD[$lib]} in
      autotools | cmake | data) ;;
      *) usage_error "${PKEY}_${REPLY}_BUILD in $VERSIONS is '${BUILD[$lib]}': use autotools, cmake or data" ;;
    esac
    [[ -n ${FILE[$lib]} ]] || usage_error "${PKEY}_${REPLY}_URL in $VERSIONS names no file: ${URL[$lib]}"
  done
}

validate() {
  local profiles=" ${PIN[PROFILES]:-} " lib
  [[ -n ${PIN[PROFILES]:-} ]] || usage_error "$VERSIONS defines no PROFILES=\"...\" line"
  [[ -n $PROFILE ]] || usage_error "--profile is required: one of ${PIN[PROFILES]// /, }"
  [[ $profiles == *" $PROFILE "* ]] || usage_error "unknown profile '$PROFILE': $VERSIONS defines ${PIN[PROFILES]// /, }"
  lib_key "$PROFILE"
  PKEY=$REPLY
  [[ $PREFIX == /* ]] || usage_error "--prefix must be an absolute path, not '$PREFIX'"
  PREFIX=${PREFIX%/}
  [[ -n $PREFIX ]] || usage_error "--prefix / is not allowed: use /usr/local or a directory of its own"
  load_profile

  if [[ -n $ONLY ]]; then
    local -a only
    IFS=, read -r -a only <<<"$ONLY"
    for lib in "${only[@]}"; do
      [[ " ${LIBS[*]} " == *" $lib "* ]] || usage_error "--only: unknown library '$lib': use ${LIBS[*]}"
      SELECTED[$lib]=yes
    done
  else
    for lib in "${LIBS[@]}"; do SELECTED[$lib]=yes; done
  fi

  if [[ -z $JOBS ]]; then
    JOBS=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
  fi
  [[ $JOBS =~ ^[1-9][0-9]*$ ]] || usage_error "--jobs must be a positive whole number, not '$JOBS'"
  if [[ -n $SOURCES ]]; then
    [[ -d $SOURCES ]] || usage_error "--sources '$SOURCES' is not a directory"
    SOURCES=$(cd "$SOURCES" && pwd)
  fi
  if [[ -n $LOG ]]; then
    touch_writable "$LOG" || usage_error "cannot write the log file '$LOG'"
    absolute "$LOG"
    LOG=$REPLY
  fi
  if [[ -n $RESULT_FILE ]]; then
    writable_dir_for "$RESULT_FILE" || usage_error "cannot write the result file '$RESULT_FILE': its directory is not writable"
  fi
  if [[ $DRY_RUN == no ]]; then
    writable_dir_for "$PREFIX/share/eb-deploy-ami" || usage_error "cannot write to the prefix '$PREFIX': run as root, or choose another --prefix"
    if [[ -n $LD_SO_CONF ]]; then
      writable_dir_for "$LD_SO_CONF" || usage_error "cannot write '$LD_SO_CONF': run as root, or pass --no-ld-so-conf (the programs still find their libraries through their RPATH)"
    fi
  fi
  if [[ $INSTALL_PACKAGES == yes ]]; then
    detect_distribution
  fi
}

absolute() {
  if [[ $1 == /* ]]; then REPLY=$1; else REPLY=$PWD/$1; fi
}

# True when FILE can be created: its nearest existing ancestor directory is writable.
writable_dir_for() {
  local dir
  absolute "$1"
  dir=${REPLY%/*}
  while [[ -n $dir && ! -e $dir ]]; do dir=${dir%/*}; done
  dir=${dir:-/}
  [[ -d $dir && -w $dir ]]
}

touch_writable() {
  absolute "$1"
  writable_dir_for "$REPLY" && mkdir -p "${REPLY%/*}" && : >>"$REPLY" 2>/dev/null
}

# --- distribution and packages ------------------------------------------------------------------

detect_distribution() {
  local file=${EB_DEPLOY_AMI_OS_RELEASE:-/etc/os-release} id="" version=""
  [[ -r $file ]] || usage_error "cannot read $file to tell the distribution: install the build dependencies yourself and pass --no-packages"
  local line
  while IFS= read -r line || [[ -n $line ]]; do
    case $line in
      ID=*) id=${line#ID=} ;;
      VERSION_ID=*) version=${line#VERSION_ID=} ;;
    esac
  done <"$file"
  id=${id//\"/} version=${version//\"/}
  case "$id:$version" in
    amzn:2023)
      PKG_MANAGER=dnf
      PACKAGES=(gcc gcc-c++ make cmake autoconf automake libtool pkgconf-pkg-config tar gzip bzip2 xz
        findutils diffutils libcurl-devel libtiff-devel zlib-devel libxml2-devel)
      ;;
    amzn:2)
      PKG_MANAGER=yum
      PACKAGES=(gcc gcc-c++ make cmake3 autoconf automake libtool pkgconfig tar gzip bzip2 xz
        findutils diffutils libcurl-devel libtiff-devel zlib-devel libxml2-devel)
      ;;
    *)
      usage_error "no package set for '${id:-unknown} ${version:-unknown}' (from $file): this script knows Amazon Linux 2023 (dnf) and Amazon Linux 2 (yum); install the build dependencies yourself (ami/README.md lists them) and pass --no-packages"
      ;;
  esac
}

# The pid of a cloud-init ancestor, if this script runs under cloud-init (user data, runcmd).
cloud_init_ancestor() {
  local pid=$PPID stat rest comm
  while ((pid > 1)); do
    read -r comm <"/proc/$pid/comm" 2>/dev/null || return 1
    if [[ $comm == cloud-init ]]; then
      REPLY=$pid
      return 0
    fi
    read -r stat <"/proc/$pid/stat" 2>/dev/null || return 1
    rest=${stat##*) }
    read -r _ pid _ <<<"$rest"
  done
  return 1
}

wait_for_cloud_init() {
  STEP=cloud-init
  local parent rc=0
  if ! command -v cloud-init >/dev/null 2>&1; then
    return 0
  fi
  if [[ $CLOUD_INIT_WAIT == no ]]; then
    say "not waiting for cloud-init (--no-cloud-init-wait)"
    return 0
  fi
  if cloud_init_ancestor; then
    parent=$REPLY
    say "running under cloud-init (pid $parent): not waiting for it, it is waiting for this script"
    return 0
  fi
  say "waiting for cloud-init to finish, so that it no longer holds the package manager's lock"
  if [[ -n $LOG ]]; then
    cloud-init status --wait >>"$LOG" 2>&1 || rc=$?
  else
    cloud-init status --wait || rc=$?
  fi
  case $rc in
    0) ;;
    2) warn "cloud-init finished with recoverable errors (exit 2); continuing" ;;
    *) warn "cloud-init status --wait exited $rc; continuing" ;;
  esac
}

install_packages() {
  if [[ $INSTALL_PACKAGES == no ]]; then
    say "packages: skipped (--no-packages)"
    return 0
  fi
  wait_for_cloud_init
  STEP=packages
  say "installing build dependencies with $PKG_MANAGER (needs root; or pass --no-packages)"
  run "$PKG_MANAGER" install -y "${PACKAGES[@]}"
}

# Tools the selected builds need, checked once the packages are in.
check_tools() {
  STEP=tools
  local lib needs_cmake=no needs_make=no
  local -a missing=()
  for lib in "${LIBS[@]}"; do
    [[ ${ACTION[$lib]} == build ]] || continue
    case ${BUILD[$lib]} in
      cmake) needs_cmake=yes ;;
      autotools) needs_make=yes ;;
    esac
  done
  if [[ $needs_cmake == yes ]]; then
    if command -v cmake3 >/dev/null 2>&1; then CMAKE=cmake3; fi
    command -v "$CMAKE" >/dev/null 2>&1 || missing+=("cmake")
  fi
  if [[ $needs_make == yes ]]; then
    command -v make >/dev/null 2>&1 || missing+=("make")
  fi
  command -v tar >/dev/null 2>&1 || missing+=("tar")
  if ((${#missing[@]} > 0)); then
    fail "$EXIT_BUILD" "missing tools: ${missing[*]}: install them, or drop --no-packages to let the script install them"
  fi
}

# --- plan ---------------------------------------------------------------------------------------

STAMPS=""     # PREFIX/share/eb-deploy-ami/stamps, set once the prefix is known
declare -A TOOL=(
  [sqlite]="sqlite3 --version"
  [geos]="geos-config --version"
  [proj]="proj"
  [proj-data]="its stamp and unpacked files"
  [libspatialite]="sqlite3 .load mod_spatialite; SELECT spatialite_version()"
  [gdal]="gdal-config --version"
)

# Each library's key chains the pins of every library before it: changing one rebuilds it and all
# that follow, which link against it.
compute_keys() {
  local previous="" lib sum
  for lib in "${LIBS[@]}"; do
    sum=$(printf '%s|' "$previous" "$lib" "${VERSION[$lib]}" "${SHA256[$lib]}" "${BUILD[$lib]}" \
      "${FLAGS[$lib]}" "$PREFIX" | sha256sum)
    KEY[$lib]=${sum%% *}
    previous=${KEY[$lib]}
  done
}

# Sets REPLY to the version this prefix's own tool reports for LIB, or to nothing.
installed_version() {
  local lib=$1 bin=$PREFIX/bin out="" shell
  REPLY=""
  case $lib in
    sqlite)
      if [[ -x $bin/sqlite3 ]]; then out=$("$bin/sqlite3" --version 2>/dev/null) || true; fi
      REPLY=${out%% *}
      ;;
    geos)
      if [[ -x $bin/geos-config ]]; then REPLY=$("$bin/geos-config" --version 2>/dev/null) || true; fi
      ;;
    proj)
      # `proj` without arguments prints "Rel. 7.2.1, January 1st, 2021" before its usage.
      if [[ -x $bin/proj ]]; then out=$("$bin/proj" 2>&1 </dev/null) || true; fi
      if [[ $out =~ Rel\.\ ([0-9][0-9.]*), ]]; then REPLY=${BASH_REMATCH[1]}; fi
      ;;
    proj-data)
      proj_data_version
      ;;
    libspatialite)
      # Through the prefix's sqlite3, or the system's when --only left SQLite out.
      shell=$bin/sqlite3
      if [[ ! -x $shell ]]; then shell=$(command -v sqlite3) || shell=""; fi
      if [[ -n $shell && -e $PREFIX/lib/mod_spatialite.so ]]; then
        out=$("$shell" :memory: ".load $PREFIX/lib/mod_spatialite" "SELECT spatialite_version();" 2>/dev/null) || true
        REPLY=${out##*$'\n'}
      fi
      ;;
    gdal)
      if [[ -x $bin/gdal-config ]]; then REPLY=$("$bin/gdal-config" --version 2>/dev/null) || true; fi
      ;;
  esac
}

# proj-data has no tool: its version is its stamp's, while every file it unpacked is still there.
proj_data_version() {
  local f
  REPLY=""
  [[ -f $STAMPS/proj-data && -f $STAMPS/proj-data.files ]] || return 0
  while IFS= read -r f; do
    [[ -z $f || $f == */ || -e $PREFIX/share/proj/$f ]] || return 0
  done <"$STAMPS/proj-data.files"
  stamp_field proj-data version
}

# Sets REPLY to FIELD of LIB's stamp, or to nothing.
stamp_field() {
  local line
  REPLY=""
  [[ -f $STAMPS/$1 ]] || return 0
  while IFS= read -r line; do
    if [[ $line == "$2="* ]]; then
      REPLY=${line#*=}
      return 0
    fi
  done <"$STAMPS/$1"
}

plan() {
  local lib installed stamped
  STAMPS=$PREFIX/share/eb-deploy-ami/stamps
  compute_keys
  for lib in "${LIBS[@]}"; do
    if [[ -z ${SELECTED[$lib]:-} ]]; then
      ACTION[$lib]=not-selected
      REASON[$lib]="not selected (--only)"
      continue
    fi
    installed_version "$lib"
    installed=$REPLY
    stamp_field "$lib" key
    stamped=$REPLY
    ACTION[$lib]=build
    if [[ $stamped == "${KEY[$lib]}" && $installed == "${VERSION[$lib]}" ]]; then
      ACTION[$lib]=skip
      REASON[$lib]="installed at $installed (stamp and tool agree): skip"
    elif [[ $stamped == "${KEY[$lib]}" ]]; then
      REASON[$lib]="stamp present but the installed tool reports '${installed:-nothing}': build"
    elif [[ -n $stamped ]]; then
      REASON[$lib]="installed from other pins (its version, checksum, flags or an earlier library changed): build"
    elif [[ -n $installed ]]; then
      REASON[$lib]="$installed found without a stamp of this script: build"
    else
      REASON[$lib]="not installed: build"
    fi
  done
}

# Sets REPLY to the sha256 of FILE.
sha256_of() {
  local sum
  sum=$(sha256sum "$1")
  REPLY=${sum%% *}
}

print_plan() {
  local lib n=0 problems=0 file
  say "plan for profile $PROFILE: ${PIN[${PKEY}_DESCRIPTION]:-}"
  say "prefix $PREFIX, $JOBS parallel jobs, versions from $VERSIONS"
  if [[ $INSTALL_PACKAGES == yes ]]; then
    say "packages: $PKG_MANAGER install -y ${PACKAGES[*]} (after cloud-init status --wait when cloud-init is present)"
  else
    say "packages: skipped (--no-packages)"
  fi
  for lib in "${LIBS[@]}"; do
    n=$((n + 1))
    printf '%d. %s %s (%s)\n' "$n" "$lib" "${VERSION[$lib]}" "${BUILD[$lib]}"
    printf '   url       %s\n' "${URL[$lib]}"
    printf '   sha256    %s\n' "${SHA256[$lib]}"
    printf '   read from %s\n' "${CHECKSUM_SOURCE[$lib]}"
    case ${BUILD[$lib]} in
      autotools) printf '   flags     ./configure --prefix=%s%s\n' "$PREFIX" "${FLAGS[$lib]:+ ${FLAGS[$lib]}}" ;;
      cmake) printf '   flags     cmake %s%s\n' "${CMAKE_BASE_ARGS[*]}" "${FLAGS[$lib]:+ ${FLAGS[$lib]}}" ;;
      data) printf '   flags     unpacked into %s/share/proj\n' "$PREFIX" ;;
    esac
    printf '   state     %s\n' "${REASON[$lib]}"
    [[ ${ACTION[$lib]} == build ]] || continue
    if [[ -z $SOURCES ]]; then
      printf '   tarball   downloaded from the url\n'
      continue
    fi
    file=$SOURCES/${FILE[$lib]}
    if [[ ! -f $file ]]; then
      printf '   tarball   missing: %s\n' "$file"
      problems=$((problems + 1))
      continue
    fi
    sha256_of "$file"
    if [[ $REPLY == "${SHA256[$lib]}" ]]; then
      printf '   tarball   present, SHA-256 matches: %s\n' "$file"
    else
      printf '   tarball   SHA-256 MISMATCH: %s is %s\n' "$file" "$REPLY"
      problems=$((problems + 1))
    fi
  done
  if [[ -n $LD_SO_CONF ]]; then
    say "then: write $PREFIX/lib to $LD_SO_CONF and run ldconfig"
  else
    say "then: no ld.so.conf entry (--no-ld-so-conf)"
  fi
  say "then: check the versions the tools report (sqlite3, geos-config, proj, spatialite_version(), gdalinfo, ogrinfo --formats)"
  if ((problems > 0)); then
    fail "$EXIT_SOURCES" "$problems tarball(s) missing from --sources or with a wrong checksum (see the plan above): nothing would be built"
  fi
}

# Install into the prefix's lib (not lib64, which GNUInstallDirs picks on Amazon Linux), with an
# RPATH so that the programs find the prefix's libraries without ldconfig.
CMAKE_BASE_ARGS=()
set_cmake_base_args() {
  CMAKE_BASE_ARGS=("-DCMAKE_INSTALL_PREFIX=$PREFIX" "-DCMAKE_PREFIX_PATH=$PREFIX"
    "-DCMAKE_INSTALL_LIBDIR=lib" "-DCMAKE_INSTALL_RPATH=$PREFIX/lib")
}

# --- sources ------------------------------------------------------------------------------------

# Downloads (or finds in --sources) every tarball to build, then checks them all, before anything
# is extracted.
fetch_and_verify_sources() {
  STEP=sources
  local lib file
  for lib in "${LIBS[@]}"; do
    [[ ${ACTION[$lib]} == build ]] || continue
    if [[ -n $SOURCES ]]; then
      file=$SOURCES/${FILE[$lib]}
      [[ -f $file ]] || fail "$EXIT_SOURCES" "$lib: $file is missing from --sources: download ${URL[$lib]} into $SOURCES"
    else
      file=$WORK/downloads/${FILE[$lib]}
      command -v curl >/dev/null 2>&1 || fail "$EXIT_SOURCES" "curl is needed to download ${URL[$lib]}: install it, or pass --sources DIR with the tarballs"
      if [[ ! -f $file ]]; then
        say "downloading ${URL[$lib]}"
        mkdir -p "$WORK/downloads"
        if ! curl -fsSL --retry 3 --retry-delay 5 --connect-timeout 30 -o "$file.part" "${URL[$lib]}"; then
          rm -f "$file.part"
          fail "$EXIT_SOURCES" "$lib: cannot download ${URL[$lib]}: check the network, or pass --sources DIR with the tarballs"
        fi
        mv "$file.part" "$file"
      fi
    fi
    TARBALL[$lib]=$file
  done

  STEP=checksums
  local bad=0
  for lib in "${LIBS[@]}"; do
    [[ ${ACTION[$lib]} == build ]] || continue
    sha256_of "${TARBALL[$lib]}"
    if [[ $REPLY == "${SHA256[$lib]}" ]]; then
      say "sha256 ok: ${TARBALL[$lib]}"
    else
      printf '%s: SHA-256 mismatch for %s (%s %s):\n  expected %s\n  actual   %s\n' \
        "$ME" "${TARBALL[$lib]}" "$lib" "${VERSION[$lib]}" "${SHA256[$lib]}" "$REPLY" >&2
      bad=$((bad + 1))
    fi
  done
  if ((bad > 0)); then
    fail "$EXIT_SOURCES" "$bad tarball(s) do not match their pinned SHA-256 (above): nothing was extracted or built; replace them with the genuine files, or correct versions.env from a trusted source"
  fi
}

# --- build --------------------------------------------------------------------------------------

register_prefix() {
  STEP=ld.so.conf
  [[ -n $LD_SO_CONF ]] || return 0
  local current=""
  if [[ -f $LD_SO_CONF ]]; then read -r current <"$LD_SO_CONF" || true; fi
  if [[ $current != "$PREFIX/lib" ]]; then
    say "registering $PREFIX/lib with the dynamic linker: $LD_SO_CONF"
    write_file "$LD_SO_CONF" "$PREFIX/lib"$'\n'
  fi
  run ldconfig
}

refresh_linker_cache() {
  if [[ -n $LD_SO_CONF ]]; then run ldconfig; fi
}

build_all() {
  local lib
  for lib in "${LIBS[@]}"; do
    case ${ACTION[$lib]} in
      build) build_one "$lib" ;;
      skip) say "$lib ${VERSION[$lib]}: already installed, skipped" ;;
    esac
  done
}

build_one() {
  local lib=$1 dir src started=$SECONDS
  local -a flags=() entries=()
  STEP=build:$lib
  say "building $lib ${VERSION[$lib]} (${BUILD[$lib]})"
  rm -f "$STAMPS/$lib"
  if [[ ${BUILD[$lib]} == data ]]; then
    mkdir -p "$PREFIX/share/proj"
    run tar -xf "${TARBALL[$lib]}" -C "$PREFIX/share/proj"
    tar -tf "${TARBALL[$lib]}" >"$STAMPS/$lib.files"
  else
    dir=$WORK/build/$lib
    rm -rf "$dir"
    mkdir -p "$dir"
    run tar -xf "${TARBALL[$lib]}" -C "$dir"
    entries=("$dir"/*)
    if ((${#entries[@]} != 1)) || [[ ! -d ${entries[0]} ]]; then
      fail "$EXIT_BUILD" "$lib: ${TARBALL[$lib]} does not unpack into one directory"
    fi
    src=${entries[0]}
    read -r -a flags <<<"${FLAGS[$lib]}"
    case ${BUILD[$lib]} in
      autotools) build_autotools "$src" "${flags[@]}" ;;
      cmake) build_cmake "$src" "${flags[@]}" ;;
    esac
    rm -rf "$dir"
  fi
  write_stamp "$lib"
  refresh_linker_cache
  say "$lib ${VERSION[$lib]} installed in $((SECONDS - started)) s"
}

# The prefix comes first for headers, libraries, pkg-config and tools such as geos-config; the
# RPATH lets the programs find the prefix's libraries before (or without) ldconfig.
build_autotools() {
  local src=$1
  shift
  run_in "$src" env "PATH=$PREFIX/bin:$PATH" \
    "PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
    "CPPFLAGS=-I$PREFIX/include${CPPFLAGS:+ $CPPFLAGS}" \
    "LDFLAGS=-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib${LDFLAGS:+ $LDFLAGS}" \
    ./configure "--prefix=$PREFIX" "$@"
  run_in "$src" env "PATH=$PREFIX/bin:$PATH" make -j "$JOBS"
  run_in "$src" env "PATH=$PREFIX/bin:$PATH" make install
}

build_cmake() {
  local src=$1
  shift
  run env "PATH=$PREFIX/bin:$PATH" \
    "PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
    "$CMAKE" -S "$src" -B "$src/_build" "${CMAKE_BASE_ARGS[@]}" "$@"
  run env "PATH=$PREFIX/bin:$PATH" "$CMAKE" --build "$src/_build" --parallel "$JOBS"
  run env "PATH=$PREFIX/bin:$PATH" "$CMAKE" --install "$src/_build"
}

write_stamp() {
  local lib=$1 body now
  TZ=UTC printf -v now '%(%Y-%m-%dT%H:%M:%SZ)T' -1
  printf -v body '%s\n' "library=$lib" "version=${VERSION[$lib]}" "sha256=${SHA256[$lib]}" \
    "build=${BUILD[$lib]}" "flags=${FLAGS[$lib]}" "profile=$PROFILE" "key=${KEY[$lib]}" \
    "installed=$now"
  write_file "$STAMPS/$lib" "$body"
}

# --- verification -------------------------------------------------------------------------------

verify() {
  STEP=verify
  local lib out line
  local -a problems=()
  for lib in "${LIBS[@]}"; do
    [[ -n ${SELECTED[$lib]:-} ]] || continue
    installed_version "$lib"
    if [[ $REPLY == "${VERSION[$lib]}" ]]; then
      say "ok: $lib $REPLY (${TOOL[$lib]})"
    else
      problems+=("$lib: ${TOOL[$lib]} reports '${REPLY:-nothing}', expected ${VERSION[$lib]}")
    fi
  done
  if [[ -n ${SELECTED[sqlite]:-} ]]; then
    out=$("$PREFIX/bin/sqlite3" :memory: "SELECT sqlite_compileoption_used('ENABLE_RTREE');" 2>&1) || true
    if [[ $out == 1 ]]; then
      say "ok: sqlite3 has R*Tree (libspatialite's spatial indexes need it)"
    else
      problems+=("sqlite3 was built without R*Tree (sqlite_compileoption_used('ENABLE_RTREE') gave '$out'): SpatiaLite's spatial indexes need it")
    fi
  fi
  if [[ -n ${SELECTED[gdal]:-} ]]; then
    out=$("$PREFIX/bin/gdalinfo" --version 2>&1) || true
    if [[ $out == "GDAL ${VERSION[gdal]},"* ]]; then
      say "ok: gdalinfo --version: $out"
    else
      problems+=("gdalinfo --version printed '$out', expected 'GDAL ${VERSION[gdal]}, ...'")
    fi
    out=$("$PREFIX/bin/ogrinfo" --formats 2>&1) || true
    line=""
    while IFS= read -r line; do
      line=${line#"${line%%[![:space:]]*}"}
      if [[ ${line,,} == "sqlite "*spatialite* ]]; then break; fi
      line=""
    done <<<"$out"
    if [[ -n $line ]]; then
      say "ok: ogrinfo --formats: $line"
    else
      problems+=("ogrinfo --formats lists no SQLite / SpatiaLite driver")
    fi
    if [[ -n $LD_SO_CONF ]]; then
      out=$(ldconfig -p 2>/dev/null) || true
      if [[ $out == *"=> $PREFIX/lib/libgdal.so"* ]]; then
        say "ok: ldconfig -p lists $PREFIX/lib/libgdal.so (where GeoDjango looks libraries up)"
      else
        problems+=("ldconfig -p does not list $PREFIX/lib/libgdal.so: GeoDjango would not find GDAL without GDAL_LIBRARY_PATH")
      fi
    fi
  fi
  if ((${#problems[@]} > 0)); then
    printf '%s: check failed: %s\n' "$ME" "${problems[@]}" >&2
    fail "$EXIT_VERIFY" "${#problems[@]} check(s) failed after the build: ${problems[*]}"
  fi
}

# --- main ---------------------------------------------------------------------------------------

main() {
  STARTED=yes
  parse_args "$@"
  STEP=versions
  load_versions
  STEP=arguments
  validate
  set_cmake_base_args
  plan
  if [[ $DRY_RUN == yes ]]; then
    print_plan
    return 0
  fi
  say "profile $PROFILE into $PREFIX (${PIN[${PKEY}_DESCRIPTION]:-})"
  mkdir -p "$STAMPS"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$PREFIX/share/eb-deploy-ami/.lock"
    flock -n 9 || fail "$EXIT_USAGE" "another $ME is building into $PREFIX (lock $PREFIX/share/eb-deploy-ami/.lock held)"
  fi
  if [[ -z $WORK ]]; then
    WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/eb-deploy-ami.XXXXXX")
    WORK_CREATED=yes
  else
    mkdir -p "$WORK"
    WORK=$(cd "$WORK" && pwd)
  fi
  fetch_and_verify_sources
  install_packages
  check_tools
  register_prefix
  build_all
  verify
}

trap on_error ERR
trap on_exit EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM
main "$@"
