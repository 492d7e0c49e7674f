#!/usr/bin/env bats
# create_ami.sh against fixture libraries: the plan, the order, the flags, idempotence, checksums,
# failures, --sources, downloads, --log and the result it reports. No network, no root.

# shellcheck disable=SC2153 # FIXTURES and PREFIX are set by the helpers' setup functions
load helpers

setup_file() {
  setup_fixtures
}

setup() {
  setup_fixtures
  setup_prefix
}

@test "--dry-run prints each library's version, URL, checksum, flags and state, and changes nothing" {
  ami --dry-run

  assert_status 0
  assert_output_contains "plan for profile fixture: Fixtures like iaso-legacy"
  assert_output_contains "1. sqlite 3.40.1 (autotools)"
  assert_output_contains "2. geos 3.9.4 (autotools)"
  assert_output_contains "3. proj 7.2.1 (autotools)"
  assert_output_contains "4. proj-data 1.9 (data)"
  assert_output_contains "5. libspatialite 5.0.1 (autotools)"
  assert_output_contains "6. gdal 3.2.3 (autotools)"
  assert_output_contains "url       file://$FIXTURES/gdal-3.2.3.tar.xz"
  assert_output_contains "sha256    $(sha256sum "$FIXTURES/gdal-3.2.3.tar.xz" | cut -d' ' -f1)"
  assert_output_contains "flags     ./configure --prefix=$PREFIX --enable-freexl=no --enable-rttopo=no --enable-minizip=no"
  assert_output_contains "flags     ./configure --prefix=$PREFIX --without-python --with-sqlite3 --with-spatialite --with-fixture-prefix=$PREFIX"
  assert_output_contains "flags     unpacked into $PREFIX/share/proj"
  assert_output_contains "state     not installed: build"
  assert_output_contains "tarball   present, SHA-256 matches: $FIXTURES/sqlite-autoconf-3400100.tar.gz"
  assert_output_contains "packages: skipped (--no-packages)"
  assert_output_lacks "EB_DEPLOY_AMI_RESULT"
  [[ ! -e $PREFIX ]]
}

@test "--dry-run of a CMake profile shows the CMake arguments" {
  ami --profile fixture-cmake --dry-run

  assert_status 0
  assert_output_contains "2. geos 3.13.1 (cmake)"
  assert_output_contains "flags     cmake -DCMAKE_INSTALL_PREFIX=$PREFIX -DCMAKE_PREFIX_PATH=$PREFIX -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_RPATH=$PREFIX/lib -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF"
}

@test "builds in dependency order, records a stamp for each library and reports ok" {
  ami --result-file "$BATS_TEST_TMPDIR/out/result"

  assert_status 0
  [[ $(install_order) == "sqlite geos proj libspatialite gdal" ]]
  [[ $(last_line) == "EB_DEPLOY_AMI_RESULT=ok profile=fixture prefix=$PREFIX sqlite=3.40.1 geos=3.9.4 proj=7.2.1 proj-data=1.9 libspatialite=5.0.1 gdal=3.2.3" ]]
  assert_output_contains "ok: gdalinfo --version: GDAL 3.2.3, released 2021/04/27"
  assert_output_contains "ok: ogrinfo --formats: SQLite -vector- (rw+v): SQLite / Spatialite"
  assert_output_contains "ok: libspatialite 5.0.1"
  for lib in sqlite geos proj proj-data libspatialite gdal; do
    assert_file_contains "$PREFIX/share/eb-deploy-ami/stamps/$lib" "library=$lib"
  done
  assert_file_contains "$PREFIX/share/eb-deploy-ami/stamps/geos" "version=3.9.4"
  [[ -f $PREFIX/share/proj/proj-data.txt && -f $PREFIX/share/proj/europe/fixture_grid.tif ]]
  assert_file_contains "$BATS_TEST_TMPDIR/out/result" "result=ok"
  assert_file_contains "$BATS_TEST_TMPDIR/out/result" "gdal=3.2.3"
  diff "$BATS_TEST_TMPDIR/out/result" "$PREFIX/share/eb-deploy-ami/result"
  # The default work directory is removed after a successful run.
  [[ -z $(find "$TMPDIR" -maxdepth 1 -name 'eb-deploy-ami.*') ]]
}

@test "configure gets the prefix, the pinned flags with @PREFIX@ replaced, and the prefix first in its environment" {
  ami

  assert_status 0
  assert_file_contains "$PREFIX/share/fixture/sqlite.args" "--prefix=$PREFIX"
  [[ $(cat "$PREFIX/share/fixture/libspatialite.args") == "--prefix=$PREFIX
--enable-freexl=no
--enable-rttopo=no
--enable-minizip=no" ]]
  [[ $(cat "$PREFIX/share/fixture/gdal.args") == "--prefix=$PREFIX
--without-python
--with-sqlite3
--with-spatialite
--with-fixture-prefix=$PREFIX" ]]
  assert_file_contains "$PREFIX/share/fixture/gdal.env" "CPPFLAGS=-I$PREFIX/include"
  assert_file_contains "$PREFIX/share/fixture/gdal.env" "LDFLAGS=-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib"
  assert_file_contains "$PREFIX/share/fixture/gdal.env" "PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig"
}

@test "CMake libraries get the prefix, lib as libdir, an RPATH and the pinned flags" {
  ami --profile fixture-cmake

  assert_status 0
  [[ $(install_order) == "sqlite geos proj libspatialite gdal" ]]
  [[ $(cat "$PREFIX/share/fixture/gdal.args") == "-DBUILD_TESTING=OFF
-DCMAKE_BUILD_TYPE=Release
-DCMAKE_INSTALL_LIBDIR=lib
-DCMAKE_INSTALL_PREFIX=$PREFIX
-DCMAKE_INSTALL_RPATH=$PREFIX/lib
-DCMAKE_PREFIX_PATH=$PREFIX
-DFIXTURE_PREFIX=$PREFIX
-DGDAL_USE_SPATIALITE=ON" ]]
  assert_file_contains "$PREFIX/share/fixture/proj.args" "-DENABLE_CURL=ON"
  [[ $(last_line) == *" geos=3.13.1 proj=9.7.0 proj-data=1.23 libspatialite=5.1.0 gdal=3.10.3" ]]
}

@test "a second run builds nothing, and the plan says everything is installed" {
  ami
  assert_status 0
  local before
  before=$(install_order)

  ami
  assert_status 0
  [[ $(install_order) == "$before" ]]
  for lib in sqlite geos proj proj-data libspatialite gdal; do
    assert_output_contains "$lib $(grep -h "^FIXTURE_${lib^^}_VERSION=" "$FIXTURES/versions.env" | cut -d= -f2 | head -n 1)"
  done
  assert_output_contains "gdal 3.2.3: already installed, skipped"
  assert_output_lacks "building"
  [[ $(last_line) == EB_DEPLOY_AMI_RESULT=ok* ]]

  ami --dry-run
  assert_status 0
  [[ $(grep -c 'installed at .* (stamp and tool agree): skip' <<<"$output") -eq 6 ]]
}

@test "changing one library's pin rebuilds it and every library after it, not those before" {
  ami
  assert_status 0
  sed 's/^FIXTURE_PROJ_FLAGS=""/FIXTURE_PROJ_FLAGS="--with-more"/' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/versions.env"

  run "$AMI" --versions "$BATS_TEST_TMPDIR/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --no-ld-so-conf

  assert_status 0
  [[ $(install_order) == "sqlite geos proj libspatialite gdal proj libspatialite gdal" ]]
  assert_output_contains "sqlite 3.40.1: already installed, skipped"
  assert_file_contains "$PREFIX/share/fixture/proj.args" "--with-more"
}

@test "a library whose tool reports another version than its stamp is rebuilt" {
  ami
  assert_status 0
  printf '#!/bin/sh\necho 3.8.1\n' >"$PREFIX/bin/geos-config"

  ami --dry-run
  assert_status 0
  assert_output_contains "stamp present but the installed tool reports '3.8.1': build"

  ami
  assert_status 0
  [[ $(install_order) == "sqlite geos proj libspatialite gdal geos" ]]
  [[ $("$PREFIX/bin/geos-config" --version) == 3.9.4 ]]
}

@test "a library installed without a stamp (by hand) is rebuilt" {
  mkdir -p "$PREFIX/bin"
  printf '#!/bin/sh\necho 3.9.4\n' >"$PREFIX/bin/geos-config"
  chmod +x "$PREFIX/bin/geos-config"

  ami --dry-run --only geos
  assert_status 0
  assert_output_contains "3.9.4 found without a stamp of this script: build"
}

@test "a checksum mismatch names the file, the expected and the actual sum, and builds nothing" {
  local sources=$BATS_TEST_TMPDIR/sources
  cp -r "$FIXTURES" "$sources"
  printf 'tampered' >>"$sources/gdal-3.2.3.tar.xz"
  local expected actual
  expected=$(sha256sum "$FIXTURES/gdal-3.2.3.tar.xz" | cut -d' ' -f1)
  actual=$(sha256sum "$sources/gdal-3.2.3.tar.xz" | cut -d' ' -f1)

  ami --sources "$sources"

  assert_status 3
  assert_output_contains "SHA-256 mismatch for $sources/gdal-3.2.3.tar.xz (gdal 3.2.3)"
  assert_output_contains "expected $expected"
  assert_output_contains "actual   $actual"
  assert_output_contains "nothing was extracted or built"
  [[ $(last_line) == "EB_DEPLOY_AMI_RESULT=failed profile=fixture prefix=$PREFIX step=checksums exit=3" ]]
  [[ ! -e $PREFIX/share/fixture && ! -e $PREFIX/bin ]]
  [[ -z $(ls "$PREFIX/share/eb-deploy-ami/stamps") ]]
}

@test "--dry-run reports a tampered or missing tarball and exits as the build would" {
  local sources=$BATS_TEST_TMPDIR/sources
  cp -r "$FIXTURES" "$sources"
  printf 'tampered' >>"$sources/geos-3.9.4.tar.bz2"
  rm "$sources/proj-7.2.1.tar.gz"

  ami --sources "$sources" --dry-run

  assert_status 3
  assert_output_contains "tarball   SHA-256 MISMATCH: $sources/geos-3.9.4.tar.bz2 is"
  assert_output_contains "tarball   missing: $sources/proj-7.2.1.tar.gz"
  assert_output_contains "2 tarball(s) missing from --sources or with a wrong checksum"
  [[ ! -e $PREFIX ]]
}

@test "--sources without a needed tarball names it and its URL, and builds nothing" {
  local sources=$BATS_TEST_TMPDIR/sources
  cp -r "$FIXTURES" "$sources"
  rm "$sources/proj-7.2.1.tar.gz"

  ami --sources "$sources"

  assert_status 3
  assert_output_contains "proj: $sources/proj-7.2.1.tar.gz is missing from --sources: download file://$FIXTURES/proj-7.2.1.tar.gz into $sources"
  [[ ! -e $PREFIX/share/fixture ]]
}

@test "--sources is read without any download; without it the tarballs are downloaded from their URLs" {
  fake_bin
  fake_command curl 'exit 7'

  ami
  assert_status 0
  [[ ! -s $CALLS ]]

  rm -rf "$PREFIX"
  rm "$FAKE_BIN/curl"
  run "$AMI" --versions "$FIXTURES/versions.env" --profile fixture --prefix "$PREFIX" --no-packages --no-ld-so-conf
  assert_status 0
  assert_output_contains "downloading file://$FIXTURES/sqlite-autoconf-3400100.tar.gz"
  [[ $(install_order) == "sqlite geos proj libspatialite gdal" ]]
}

@test "a failed download names the URL and builds nothing" {
  sed 's|^FIXTURE_GEOS_URL=.*|FIXTURE_GEOS_URL=file:///nonexistent/geos-3.9.4.tar.bz2|' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/versions.env"

  run "$AMI" --versions "$BATS_TEST_TMPDIR/versions.env" --profile fixture --prefix "$PREFIX" --no-packages --no-ld-so-conf

  assert_status 3
  assert_output_contains "geos: cannot download file:///nonexistent/geos-3.9.4.tar.bz2"
  [[ ! -e $PREFIX/share/fixture ]]
}

@test "a failing build step stops the run, names the step, keeps the build tree; the next run resumes" {
  sed 's/^FIXTURE_GDAL_FLAGS="/FIXTURE_GDAL_FLAGS="--fixture-fail=make /' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/failing.env"

  run "$AMI" --versions "$BATS_TEST_TMPDIR/failing.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --no-ld-so-conf --result-file "$BATS_TEST_TMPDIR/result"

  assert_status 1
  assert_output_contains "fixture gdal: make fails as asked"
  assert_output_contains "step build:gdal: exit 2 from: env PATH=$PREFIX/bin:"
  assert_output_contains "the build tree is kept in $TMPDIR/eb-deploy-ami."
  [[ $(last_line) == "EB_DEPLOY_AMI_RESULT=failed profile=fixture prefix=$PREFIX step=build:gdal exit=1" ]]
  assert_file_contains "$BATS_TEST_TMPDIR/result" "result=failed"
  assert_file_contains "$BATS_TEST_TMPDIR/result" "step=build:gdal"
  [[ $(install_order) == "sqlite geos proj libspatialite" ]]
  [[ ! -e $PREFIX/share/eb-deploy-ami/stamps/gdal ]]

  ami
  assert_status 0
  [[ $(install_order) == "sqlite geos proj libspatialite gdal" ]]
  assert_output_contains "libspatialite 5.0.1: already installed, skipped"
}

@test "a failing configure of a CMake library stops the run" {
  sed 's/^FIXTURE_CMAKE_PROJ_FLAGS="/FIXTURE_CMAKE_PROJ_FLAGS="-DFIXTURE_FAIL=configure /' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/failing.env"

  run "$AMI" --versions "$BATS_TEST_TMPDIR/failing.env" --profile fixture-cmake --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --no-ld-so-conf

  assert_status 1
  assert_output_contains "fixture proj: configure fails as asked"
  [[ $(last_line) == *"step=build:proj exit=1" ]]
  [[ $(install_order) == "sqlite geos" ]]
}

@test "--log takes the build output; the console keeps the steps, and the log's end on failure" {
  local log=$BATS_TEST_TMPDIR/logs/build.log

  ami --log "$log"

  assert_status 0
  assert_output_lacks "fixture sqlite: configured"
  assert_output_contains "building sqlite 3.40.1 (autotools)"
  assert_file_contains "$log" "fixture sqlite: configured for $PREFIX"
  assert_file_contains "$log" "+ env PATH=$PREFIX/bin:"
  assert_file_contains "$log" "EB_DEPLOY_AMI_RESULT=ok"

  rm -rf "$PREFIX"
  sed 's/^FIXTURE_GEOS_FLAGS="/FIXTURE_GEOS_FLAGS="--fixture-fail=configure/' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/failing.env"
  run "$AMI" --versions "$BATS_TEST_TMPDIR/failing.env" --profile fixture --prefix "$PREFIX" \
    --sources "$FIXTURES" --no-packages --no-ld-so-conf --log "$log"
  assert_status 1
  assert_output_contains "the last lines of $log:"
  assert_output_contains "fixture geos: configure fails as asked"
  assert_file_contains "$log" "EB_DEPLOY_AMI_RESULT=failed"
}

@test "a tool reporting another version than the pin fails the check with exit 4" {
  local fixtures=$BATS_TEST_TMPDIR/fixtures
  FIXTURE_GDAL_REPORTS=3.2.2 make_fixtures "$fixtures"

  run "$AMI" --versions "$fixtures/versions.env" --profile fixture --prefix "$PREFIX" \
    --sources "$fixtures" --no-packages --no-ld-so-conf

  assert_status 4
  assert_output_contains "gdal: gdal-config --version reports '3.2.2', expected 3.2.3"
  assert_output_contains "gdalinfo --version printed 'GDAL 3.2.2, released 2021/04/27', expected 'GDAL 3.2.3, ...'"
  [[ $(last_line) == *"step=verify exit=4" ]]
}

@test "an SQLite without R*Tree fails the check, which runs again on every run" {
  ami
  assert_status 0
  sed -i 's/\*ENABLE_RTREE\*) echo 1/*ENABLE_RTREE*) echo 0/' "$PREFIX/bin/sqlite3"

  ami

  assert_status 4
  assert_output_contains "sqlite3 was built without R*Tree (sqlite_compileoption_used('ENABLE_RTREE') gave '0')"
  assert_output_lacks "building"
}

@test "--only builds and checks only the named libraries" {
  ami --only sqlite,geos

  assert_status 0
  [[ $(install_order) == "sqlite geos" ]]
  [[ $(last_line) == "EB_DEPLOY_AMI_RESULT=ok profile=fixture prefix=$PREFIX sqlite=3.40.1 geos=3.9.4" ]]
}

@test "bad arguments and versions files are refused with the value and the fix, before any change" {
  ami --jobs 0
  assert_status 2
  assert_output_contains "--jobs must be a positive whole number, not '0'"

  ami --prefix relative/dir
  assert_status 2
  assert_output_contains "--prefix must be an absolute path, not 'relative/dir'"

  ami --sources /nonexistent
  assert_status 2
  assert_output_contains "--sources '/nonexistent' is not a directory"

  ami --only gdal,postgis
  assert_status 2
  assert_output_contains "--only: unknown library 'postgis': use sqlite geos proj proj-data libspatialite gdal"

  ami --profile nope
  assert_status 2
  assert_output_contains "unknown profile 'nope': $FIXTURES/versions.env defines fixture, fixture-cmake"

  ami --frobnicate
  assert_status 2
  assert_output_contains "unknown option '--frobnicate' (see create_ami.sh --help)"
  [[ $(last_line) == "EB_DEPLOY_AMI_RESULT=failed profile=fixture prefix=$PREFIX step=arguments exit=2" ]]

  run "$AMI" --prefix "$PREFIX" --no-packages --dry-run
  assert_status 2
  assert_output_contains "--profile is required: one of iaso-legacy, current"

  # shellcheck disable=SC2016 # the command substitution must reach the file unexpanded
  { cat "$FIXTURES/versions.env"; echo 'FIXTURE_GDAL_FLAGS=$(rm -rf /)'; } >"$BATS_TEST_TMPDIR/bad.env"
  run "$AMI" --versions "$BATS_TEST_TMPDIR/bad.env" --profile fixture --prefix "$PREFIX" --no-packages --dry-run
  assert_status 2
  assert_output_contains "bad.env line $(wc -l <"$BATS_TEST_TMPDIR/bad.env") is not KEY=VALUE or KEY=\"VALUE\""

  sed 's/^FIXTURE_GEOS_SHA256=.*/FIXTURE_GEOS_SHA256=abc/' "$FIXTURES/versions.env" >"$BATS_TEST_TMPDIR/bad.env"
  run "$AMI" --versions "$BATS_TEST_TMPDIR/bad.env" --profile fixture --prefix "$PREFIX" --no-packages --dry-run
  assert_status 2
  assert_output_contains "FIXTURE_GEOS_SHA256 in $BATS_TEST_TMPDIR/bad.env is not 64 lower-case hex digits: abc"

  [[ ! -e $PREFIX/share/fixture && ! -e $PREFIX/bin ]]
}

@test "--help lists the options and the profiles of versions.env" {
  run "$AMI" --help

  assert_status 0
  assert_output_contains "--profile NAME        the set of versions to build: iaso-legacy, current"
  assert_output_contains "--result-file FILE"
  assert_output_lacks "EB_DEPLOY_AMI_RESULT"
}
