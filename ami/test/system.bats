#!/usr/bin/env bats
# The parts of create_ami.sh that touch the system, against fake dnf, yum, cloud-init and ldconfig:
# the package sets per distribution, the wait for cloud-init, the dynamic linker entry.

# shellcheck disable=SC2153 # FIXTURES and PREFIX are set by the helpers' setup functions
load helpers

setup_file() {
  setup_fixtures
}

setup() {
  setup_fixtures
  setup_prefix
  fake_bin
  OS_RELEASE=$BATS_TEST_TMPDIR/os-release
  export EB_DEPLOY_AMI_OS_RELEASE=$OS_RELEASE
}

os_release() {
  printf 'NAME="%s"\nID="%s"\nVERSION_ID="%s"\n' "$1" "$2" "$3" >"$OS_RELEASE"
}

# create_ami.sh with packages installed (the fakes record the calls), SQLite only.
ami_with_packages() {
  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-ld-so-conf --only sqlite "$@"
}

@test "Amazon Linux 2023: waits for cloud-init, then installs the dnf package set" {
  os_release "Amazon Linux" amzn 2023
  fake_command cloud-init
  fake_command dnf

  ami_with_packages

  assert_status 0
  [[ $(cat "$CALLS") == "cloud-init status --wait
dnf install -y gcc gcc-c++ make cmake autoconf automake libtool pkgconf-pkg-config tar gzip bzip2 xz findutils diffutils libcurl-devel libtiff-devel zlib-devel libxml2-devel" ]]
  assert_output_contains "waiting for cloud-init to finish, so that it no longer holds the package manager's lock"
}

@test "Amazon Linux 2: installs the yum package set, and builds CMake libraries with cmake3" {
  os_release "Amazon Linux" amzn 2
  fake_command yum
  fake_command cmake3 'exec cmake "$@"'

  ami_with_packages --profile fixture-cmake --only sqlite,geos

  assert_status 0
  grep -qx 'yum install -y gcc gcc-c++ make cmake3 autoconf automake libtool pkgconfig tar gzip bzip2 xz findutils diffutils libcurl-devel libtiff-devel zlib-devel libxml2-devel' "$CALLS"
  grep -q '^cmake3 -S .*/geos-3.13.1 ' "$CALLS"
  grep -q '^cmake3 --install ' "$CALLS"
  [[ $(install_order) == "sqlite geos" ]]
}

@test "no package is installed before every tarball's checksum has been checked" {
  os_release "Amazon Linux" amzn 2023
  fake_command cloud-init
  fake_command dnf
  local sources=$BATS_TEST_TMPDIR/sources
  cp -r "$FIXTURES" "$sources"
  printf 'tampered' >>"$sources/sqlite-autoconf-3400100.tar.gz"

  ami_with_packages --sources "$sources"

  assert_status 3
  [[ ! -s $CALLS ]]
}

@test "the plan shows the package command" {
  os_release "Amazon Linux" amzn 2023

  ami_with_packages --dry-run

  assert_status 0
  assert_output_contains "packages: dnf install -y gcc gcc-c++ make cmake"
  [[ ! -s $CALLS ]]
}

@test "an unknown distribution is refused, naming it and --no-packages, before any change" {
  os_release "Debian GNU/Linux" debian 12
  fake_command apt-get

  ami_with_packages

  assert_status 2
  assert_output_contains "no package set for 'debian 12' (from $OS_RELEASE): this script knows Amazon Linux 2023 (dnf) and Amazon Linux 2 (yum)"
  assert_output_contains "pass --no-packages"
  [[ ! -s $CALLS && ! -e $PREFIX/bin ]]
}

@test "--no-cloud-init-wait installs the packages without waiting" {
  os_release "Amazon Linux" amzn 2023
  fake_command cloud-init
  fake_command dnf

  ami_with_packages --no-cloud-init-wait

  assert_status 0
  [[ $(cat "$CALLS") == "dnf install -y "* ]]
  assert_output_contains "not waiting for cloud-init (--no-cloud-init-wait)"
}

@test "under cloud-init (user data, runcmd) the script does not wait for its own parent" {
  os_release "Amazon Linux" amzn 2023
  fake_command cloud-init
  fake_command dnf
  # A parent process named cloud-init, as the real one is when it runs user data.
  mkdir -p "$BATS_TEST_TMPDIR/parent"
  printf '#!/bin/bash\n"$@"\n' >"$BATS_TEST_TMPDIR/parent/cloud-init"
  chmod +x "$BATS_TEST_TMPDIR/parent/cloud-init"

  run "$BATS_TEST_TMPDIR/parent/cloud-init" "$AMI" --versions "$FIXTURES/versions.env" --profile fixture \
    --prefix "$PREFIX" --sources "$FIXTURES" --no-ld-so-conf --only sqlite

  assert_status 0
  assert_output_contains "running under cloud-init (pid"
  [[ $(cat "$CALLS") == "dnf install -y "* ]]
}

@test "cloud-init ending with recoverable errors is a warning, not a failure" {
  os_release "Amazon Linux" amzn 2023
  fake_command cloud-init 'exit 2'
  fake_command dnf

  ami_with_packages

  assert_status 0
  assert_output_contains "warning: cloud-init finished with recoverable errors (exit 2); continuing"
}

@test "a failing package installation stops before any build and says it needs root" {
  os_release "Amazon Linux" amzn 2023
  fake_command dnf 'echo "Error: This command has to be run with superuser privileges" >&2; exit 1'

  ami_with_packages

  assert_status 1
  assert_output_contains "installing build dependencies with dnf (needs root; or pass --no-packages)"
  assert_output_contains "step packages: exit 1 from: dnf install -y"
  [[ $(last_line) == *"step=packages exit=1" ]]
  [[ ! -e $PREFIX/share/fixture ]]
}

@test "the prefix's lib directory goes to ld.so.conf.d, ldconfig runs, and ldconfig -p must list libgdal" {
  local conf=$BATS_TEST_TMPDIR/etc/ld.so.conf.d/eb-deploy-ami.conf
  # A fake ldconfig whose cache lists the libraries of the directories in $conf.
  fake_command ldconfig "if [[ \$1 == -p ]]; then
  while read -r dir; do for f in \"\$dir\"/*.so*; do [[ -e \$f ]] && echo \"	\${f##*/} (libc6,x86-64) => \$f\"; done; done <'$conf'
fi"

  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --ld-so-conf "$conf"

  assert_status 0
  [[ $(cat "$conf") == "$PREFIX/lib" ]]
  [[ $(grep -c '^ldconfig *$' "$CALLS") -eq 7 ]] # once before the builds, once after each of the six
  assert_output_contains "ok: ldconfig -p lists $PREFIX/lib/libgdal.so"
  assert_output_contains "registering $PREFIX/lib with the dynamic linker: $conf"
}

@test "a libgdal that ldconfig -p does not list fails the check: GeoDjango would not find it" {
  fake_command ldconfig

  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --ld-so-conf "$BATS_TEST_TMPDIR/eb-deploy-ami.conf"

  assert_status 4
  assert_output_contains "ldconfig -p does not list $PREFIX/lib/libgdal.so: GeoDjango would not find GDAL without GDAL_LIBRARY_PATH"
}

@test "an ld.so.conf entry that cannot be written is refused before any change" {
  # Not a directory (a plain file in its way): refused even for root, who may write anywhere else.
  touch "$BATS_TEST_TMPDIR/file"

  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --ld-so-conf "$BATS_TEST_TMPDIR/file/eb-deploy-ami.conf"

  assert_status 2
  assert_output_contains "cannot write '$BATS_TEST_TMPDIR/file/eb-deploy-ami.conf': run as root, or pass --no-ld-so-conf"
  [[ ! -e $PREFIX ]]
}
