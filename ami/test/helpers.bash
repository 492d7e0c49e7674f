# shellcheck shell=bash
# shellcheck disable=SC2016 # the fixtures are shell code written out with single quotes on purpose
# shellcheck disable=SC2154 # status, output and lines come from bats' run
# Shared by the bats files: fixture tarballs, a versions file pointing at them, fake system tools.
#
# The fixtures stand in for the real libraries, with the real names, versions and tarball formats.
# Each is a tiny project that records the arguments and environment it was configured with, checks
# that the libraries it depends on are already installed in the prefix (as the real configure
# scripts do), and installs fake tools reporting its version (sqlite3, geos-config, proj, gdalinfo,
# ogrinfo, gdal-config, mod_spatialite), so that create_ami.sh's own checks run unchanged. Nothing
# is compiled; `autotools` fixtures have a configure script and a Makefile, `cmake` fixtures a
# CMakeLists.txt that needs no compiler.

AMI_DIR=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
AMI=$AMI_DIR/create_ami.sh

# The files under the prefix each fixture needs before it configures: its dependencies.
declare -A FIXTURE_DEPS=(
  [sqlite]=""
  [geos]=""
  [proj]="bin/sqlite3"
  [libspatialite]="bin/sqlite3 bin/geos-config bin/proj"
  [gdal]="bin/sqlite3 bin/geos-config bin/proj lib/mod_spatialite.so share/proj/proj-data.txt"
)

# Writes the fixture tarballs of both profiles into DIR and a versions file DIR/versions.env.
# Profile `fixture` mirrors iaso-legacy (autotools), `fixture-cmake` mirrors current (CMake for
# GEOS, PROJ and GDAL). FIXTURE_GDAL_REPORTS overrides the version the gdal fixture's tools print.
make_fixtures() {
  local dir=$1
  mkdir -p "$dir"
  {
    printf 'PROFILES="fixture fixture-cmake"\n'
    printf 'FIXTURE_DESCRIPTION="Fixtures like iaso-legacy"\n'
    printf 'FIXTURE_CMAKE_DESCRIPTION="Fixtures like current"\n'
  } >"$dir/versions.env"
  fixture_lib "$dir" FIXTURE sqlite 3.40.1 autotools sqlite-autoconf-3400100.tar.gz ""
  fixture_lib "$dir" FIXTURE geos 3.9.4 autotools geos-3.9.4.tar.bz2 ""
  fixture_lib "$dir" FIXTURE proj 7.2.1 autotools proj-7.2.1.tar.gz ""
  fixture_lib "$dir" FIXTURE proj-data 1.9 data proj-data-1.9.tar.gz ""
  fixture_lib "$dir" FIXTURE libspatialite 5.0.1 autotools libspatialite-5.0.1.tar.gz \
    "--enable-freexl=no --enable-rttopo=no --enable-minizip=no"
  fixture_lib "$dir" FIXTURE gdal 3.2.3 autotools gdal-3.2.3.tar.xz \
    "--without-python --with-sqlite3 --with-spatialite --with-fixture-prefix=@PREFIX@"
  fixture_lib "$dir" FIXTURE_CMAKE sqlite 3.53.1 autotools sqlite-autoconf-3530100.tar.gz ""
  fixture_lib "$dir" FIXTURE_CMAKE geos 3.13.1 cmake geos-3.13.1.tar.bz2 \
    "-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF"
  fixture_lib "$dir" FIXTURE_CMAKE proj 9.7.0 cmake proj-9.7.0.tar.gz \
    "-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DENABLE_TIFF=ON -DENABLE_CURL=ON"
  fixture_lib "$dir" FIXTURE_CMAKE proj-data 1.23 data proj-data-1.23.tar.gz ""
  fixture_lib "$dir" FIXTURE_CMAKE libspatialite 5.1.0 autotools libspatialite-5.1.0.tar.gz \
    "--enable-freexl=no --enable-rttopo=no --enable-minizip=no"
  fixture_lib "$dir" FIXTURE_CMAKE gdal 3.10.3 cmake gdal-3.10.3.tar.xz \
    "-DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DGDAL_USE_SPATIALITE=ON -DFIXTURE_PREFIX=@PREFIX@"
}

# Appends one library's pins to DIR/versions.env and writes its tarball.
fixture_lib() {
  local dir=$1 profile=$2 lib=$3 version=$4 build=$5 file=$6 flags=$7
  local key=${lib^^}
  key=${key//-/_}
  local project=$BATS_FILE_TMPDIR/fixture-src/$profile-$lib
  rm -rf "$project"
  mkdir -p "$project"
  if [[ $build == data ]]; then
    printf 'grid files %s\n' "$version" >"$project/proj-data.txt"
    mkdir -p "$project/europe"
    printf 'a grid\n' >"$project/europe/fixture_grid.tif"
    tar -C "$project" -czf "$dir/$file" proj-data.txt europe
  else
    local top=$project/${file%.tar.*}
    mkdir -p "$top"
    fixture_project "$top" "$lib" "${FIXTURE_GDAL_REPORTS:-$version}" "$build" "$version"
    case $file in
      *.tar.gz) tar -C "$project" -czf "$dir/$file" "${top##*/}" ;;
      *.tar.bz2) tar -C "$project" -cjf "$dir/$file" "${top##*/}" ;;
      *.tar.xz) tar -C "$project" -cJf "$dir/$file" "${top##*/}" ;;
    esac
  fi
  {
    printf '%s_%s_VERSION=%s\n' "$profile" "$key" "$version"
    printf '%s_%s_URL=file://%s/%s\n' "$profile" "$key" "$dir" "$file"
    printf '%s_%s_SHA256=%s\n' "$profile" "$key" "$(sha256sum "$dir/$file" | cut -d' ' -f1)"
    printf '%s_%s_CHECKSUM_SOURCE="computed by the test fixture"\n' "$profile" "$key"
    printf '%s_%s_BUILD=%s\n' "$profile" "$key" "$build"
    printf '%s_%s_FLAGS="%s"\n' "$profile" "$key" "$flags"
  } >>"$dir/versions.env"
}

# The source tree of one fixture library in TOP. REPORTS is the version its tools print (normally
# VERSION; a different one makes the final check fail).
fixture_project() {
  local top=$1 lib=$2 reports=$3 build=$4 version=$5
  local gdal_reports=$reports
  [[ $lib == gdal ]] || reports=$version

  # Checks that the libraries it needs are installed in the prefix, and that the prefix's tools
  # come first on PATH, as a real configure script would find them.
  cat >"$top/check-deps.sh" <<EOF
#!/bin/sh
prefix=\$1
for f in ${FIXTURE_DEPS[$lib]}; do
  if [ ! -e "\$prefix/\$f" ]; then
    echo "fixture $lib: \$prefix/\$f is missing: a dependency was not built first" >&2
    exit 1
  fi
done
case " ${FIXTURE_DEPS[$lib]} " in
  *" bin/geos-config "*)
    if [ "\$(command -v geos-config)" != "\$prefix/bin/geos-config" ]; then
      echo "fixture $lib: geos-config on PATH is \$(command -v geos-config), not the prefix's" >&2
      exit 1
    fi ;;
esac
EOF

  # Fails the step named by --fixture-fail=STEP (autotools) or -DFIXTURE_FAIL=STEP (CMake).
  cat >"$top/build.sh" <<EOF
#!/bin/sh
if grep -q -e '--fixture-fail=make' -e '-DFIXTURE_FAIL=make' "\$1"; then
  echo "fixture $lib: make fails as asked" >&2
  exit 2
fi
echo "fixture $lib: built"
EOF

  cat >"$top/install.sh" <<EOF
#!/bin/sh
set -e
prefix=\$1
args=\$2
mkdir -p "\$prefix/bin" "\$prefix/lib" "\$prefix/share/fixture"
cp "\$args" "\$prefix/share/fixture/$lib.args"
if [ -f .configure-env ]; then cp .configure-env "\$prefix/share/fixture/$lib.env"; fi
echo $lib >>"\$prefix/share/fixture/order"
$(fixture_tools "$lib" "$reports" "$gdal_reports")
echo "fixture $lib: installed into \$prefix"
EOF

  if [[ $build == autotools ]]; then
    cat >"$top/configure" <<EOF
#!/bin/sh
# Fixture configure: records its arguments and environment, checks its dependencies.
prefix=/usr/local
for a in "\$@"; do
  case \$a in
    --prefix=*) prefix=\${a#--prefix=} ;;
    --fixture-fail=configure) echo "fixture $lib: configure fails as asked" >&2; exit 1 ;;
  esac
done
printf '%s\n' "\$@" >.configure-args
printf 'CPPFLAGS=%s\nLDFLAGS=%s\nPKG_CONFIG_PATH=%s\n' "\$CPPFLAGS" "\$LDFLAGS" "\$PKG_CONFIG_PATH" >.configure-env
sh ./check-deps.sh "\$prefix" || exit 1
sed "s|@PREFIX@|\$prefix|" Makefile.in >Makefile
echo "fixture $lib: configured for \$prefix"
EOF
    chmod +x "$top/configure"
    printf 'PREFIX = @PREFIX@\nall:\n\t@sh ./build.sh .configure-args\ninstall:\n\t@sh ./install.sh $(PREFIX) .configure-args\n' \
      >"$top/Makefile.in"
  else
    cat >"$top/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.13)
project(fixture_$lib NONE)
# Records the cache variables it was given, the way the configure fixtures record their arguments.
get_cmake_property(vars CACHE_VARIABLES)
list(SORT vars)
set(args "")
foreach(v IN LISTS vars)
  if(v MATCHES "^(FIXTURE_|BUILD_|ENABLE_|GDAL_USE_)" OR v MATCHES "^CMAKE_(BUILD_TYPE|INSTALL_PREFIX|INSTALL_LIBDIR|INSTALL_RPATH|PREFIX_PATH)\$")
    string(APPEND args "-D\${v}=\${\${v}}\n")
  endif()
endforeach()
file(WRITE "\${CMAKE_BINARY_DIR}/args" "\${args}")
if(FIXTURE_FAIL STREQUAL "configure")
  message(FATAL_ERROR "fixture $lib: configure fails as asked")
endif()
execute_process(COMMAND sh "\${CMAKE_SOURCE_DIR}/check-deps.sh" "\${CMAKE_INSTALL_PREFIX}" RESULT_VARIABLE deps)
if(deps)
  message(FATAL_ERROR "fixture $lib: dependencies missing")
endif()
add_custom_target(fixture ALL COMMAND sh "\${CMAKE_SOURCE_DIR}/build.sh" "\${CMAKE_BINARY_DIR}/args")
install(CODE "execute_process(COMMAND sh \"\${CMAKE_SOURCE_DIR}/install.sh\" \"\${CMAKE_INSTALL_PREFIX}\" \"\${CMAKE_BINARY_DIR}/args\" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR \"fixture $lib: install failed\")
endif()")
EOF
  fi
}

# Shell lines (for install.sh) that install LIB's fake tools into \$prefix.
fixture_tools() {
  local lib=$1 version=$2 gdal_reports=$3
  case $lib in
    sqlite)
      cat <<EOF
cat >"\$prefix/bin/sqlite3" <<TOOL
#!/bin/sh
# Fake sqlite3: its version, and spatialite_version() once mod_spatialite is loaded.
case "\\\$*" in
  --version) echo "$version 2022-12-28 14:03:47 fixture" ;;
  *ENABLE_RTREE*) echo 1 ;;
  *mod_spatialite*spatialite_version*)
    lib=\\\$(printf '%s\n' "\\\$2" | sed 's/^.load //')
    [ -e "\\\$lib.so" ] || { echo "Error: cannot open shared object file \\\$lib.so" >&2; exit 1; }
    cat "\\\$(dirname "\\\$lib")/../share/fixture/libspatialite.version" ;;
  *) echo "fake sqlite3: unexpected arguments: \\\$*" >&2; exit 1 ;;
esac
TOOL
chmod +x "\$prefix/bin/sqlite3"
EOF
      ;;
    geos)
      fake_tool geos-config "--version) echo $version ;;"
      ;;
    proj)
      # The real proj prints its release line and usage on stderr, and exits non-zero.
      fake_tool proj "'') echo 'Rel. $version, January 1st, 2021' >&2; echo 'usage: proj [-bdeEfiIlmorsStTvVwW [args]] [+opt[=arg] ...] [file ...]' >&2; exit 1 ;;"
      fake_tool projinfo "--version) echo $version ;;"
      ;;
    libspatialite)
      printf 'touch "$prefix/lib/mod_spatialite.so" "$prefix/lib/libspatialite.so"\n'
      printf 'echo %s >"$prefix/share/fixture/libspatialite.version"\n' "$version"
      ;;
    gdal)
      printf 'touch "$prefix/lib/libgdal.so"\n'
      fake_tool gdal-config "--version) echo $gdal_reports ;;"
      fake_tool gdalinfo "--version) echo 'GDAL $gdal_reports, released 2021/04/27' ;;"
      fake_tool ogrinfo "--formats) printf 'Supported Formats:\\n  ESRI Shapefile -vector- (rw+v): ESRI Shapefile\\n  SQLite -vector- (rw+v): SQLite / Spatialite\\n' ;;"
      ;;
  esac
}

# Shell lines writing a fake tool NAME whose `case "$*"` has the given branch.
fake_tool() {
  local name=$1 branch=$2
  cat <<EOF
cat >"\$prefix/bin/$name" <<'TOOL'
#!/bin/sh
case "\$*" in
  $branch
  *) echo "fake $name: unexpected arguments: \$*" >&2; exit 1 ;;
esac
TOOL
chmod +x "\$prefix/bin/$name"
EOF
}

# A directory of fake system tools put first on PATH; each records its arguments in CALLS.
fake_bin() {
  FAKE_BIN=$BATS_TEST_TMPDIR/fake-bin
  CALLS=$BATS_TEST_TMPDIR/calls
  mkdir -p "$FAKE_BIN"
  : >"$CALLS"
  export PATH="$FAKE_BIN:$PATH" CALLS
}

# fake_command NAME [SHELL-BODY]: a fake NAME that records "NAME ARGS" in $CALLS, then runs BODY.
fake_command() {
  local name=$1 body=${2:-}
  printf '#!/bin/bash\necho "%s $*" >>"$CALLS"\n%s\n' "$name" "$body" >"$FAKE_BIN/$name"
  chmod +x "$FAKE_BIN/$name"
}

# The fixtures of this bats file, made once.
setup_fixtures() {
  FIXTURES=$BATS_FILE_TMPDIR/fixtures
  if [[ ! -f $FIXTURES/versions.env ]]; then
    make_fixtures "$FIXTURES"
  fi
  export FIXTURES
}

# Per test: a prefix of its own, a work directory under the test's TMPDIR.
setup_prefix() {
  PREFIX=$BATS_TEST_TMPDIR/prefix
  export TMPDIR=$BATS_TEST_TMPDIR
}

# create_ami.sh with the fixtures, a temporary prefix, no packages and no ld.so.conf; extra
# arguments go after these, so a test can add or repeat any option.
ami() {
  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --no-ld-so-conf "$@"
}

# The last line of the output, where create_ami.sh puts its result.
last_line() {
  printf '%s\n' "${lines[${#lines[@]} - 1]}"
}

# Fails the test with the output when the status is not the expected one.
assert_status() {
  if [[ $status -ne $1 ]]; then
    printf 'expected exit %s, got %s; output:\n%s\n' "$1" "$status" "$output" >&2
    return 1
  fi
}

assert_output_contains() {
  if [[ $output != *"$1"* ]]; then
    printf 'output does not contain: %s\noutput:\n%s\n' "$1" "$output" >&2
    return 1
  fi
}

assert_output_lacks() {
  if [[ $output == *"$1"* ]]; then
    printf 'output contains, and must not: %s\noutput:\n%s\n' "$1" "$output" >&2
    return 1
  fi
}

assert_file_contains() {
  if ! grep -qF -- "$2" "$1"; then
    printf '%s does not contain: %s\n%s:\n%s\n' "$1" "$2" "$1" "$(cat "$1" 2>&1)" >&2
    return 1
  fi
}

# The libraries installed, in the order they were installed.
install_order() {
  tr '\n' ' ' <"$PREFIX/share/fixture/order" | sed 's/ $//'
}
