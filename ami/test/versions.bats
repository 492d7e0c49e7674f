#!/usr/bin/env bats
# The real pins in ami/versions.env: complete, consistent, as the issue and Django's support tables
# say, and small enough (with the script) for EC2 user data. No network: the plan is read, never
# run.

load helpers

setup() {
  VERSIONS=$AMI_DIR/versions.env
}

# pinned PROFILE LIB FIELD: the value in versions.env.
pinned() {
  local key=${1^^}_${2^^}_$3
  key=${key//-/_}
  sed -n "s/^$key=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$VERSIONS"
}

@test "every profile passes the script's own validation and plans all six libraries" {
  local profile
  local -a profiles
  read -r -a profiles < <(sed -n 's/^PROFILES="\(.*\)"$/\1/p' "$VERSIONS")
  [[ ${#profiles[@]} -eq 2 ]]
  for profile in "${profiles[@]}"; do
    run "$AMI" --profile "$profile" --prefix "$BATS_TEST_TMPDIR/prefix" --no-packages --dry-run
    assert_status 0
    for lib in sqlite geos proj proj-data libspatialite gdal; do
      assert_output_contains ". $lib $(pinned "$profile" "$lib" VERSION) ("
    done
  done
}

@test "each URL names its version, each checksum differs and says where it was read" {
  local profile lib version file
  for profile in iaso-legacy current; do
    for lib in sqlite geos proj proj-data libspatialite gdal; do
      version=$(pinned "$profile" "$lib" VERSION)
      file=$(pinned "$profile" "$lib" URL)
      file=${file##*/}
      if [[ $lib == sqlite ]]; then
        # SQLite names its tarballs by a coded version: 3.40.1 is 3400100.
        IFS=. read -r major minor patch <<<"$version"
        version=$(printf '%d%02d%02d00' "$major" "$minor" "$patch")
      fi
      [[ $file == *"-$version.tar."* ]] || { echo "$profile $lib: $file does not name $version" >&2; return 1; }
      [[ -n $(pinned "$profile" "$lib" CHECKSUM_SOURCE) ]]
    done
  done
  [[ -z $(grep -o '_SHA256=[0-9a-f]*' "$VERSIONS" | cut -d= -f2 | sort | uniq -d) ]]
}

@test "iaso-legacy is the reference team's set, with their flags" {
  [[ $(pinned iaso-legacy geos VERSION) == 3.9.4 ]]
  [[ $(pinned iaso-legacy sqlite VERSION) == 3.40.1 ]]
  [[ $(pinned iaso-legacy sqlite URL) == */sqlite-autoconf-3400100.tar.gz ]]
  [[ $(pinned iaso-legacy proj VERSION) == 7.2.1 ]]
  [[ $(pinned iaso-legacy proj-data VERSION) == 1.9 ]]
  [[ $(pinned iaso-legacy libspatialite VERSION) == 5.0.1 ]]
  [[ $(pinned iaso-legacy libspatialite FLAGS) == "--enable-freexl=no --enable-rttopo=no --enable-minizip=no" ]]
  [[ $(pinned iaso-legacy gdal VERSION) == 3.2.3 ]]
  # The team's --with-sqlite3 --with-spatialite, pointed at the prefix (the same for /usr/local).
  [[ $(pinned iaso-legacy gdal FLAGS) == "--without-python --with-sqlite3=@PREFIX@ --with-spatialite=@PREFIX@" ]]
  for lib in sqlite geos proj libspatialite gdal; do
    [[ $(pinned iaso-legacy "$lib" BUILD) == autotools ]]
  done
}

@test "current stays within what Django 5.2 LTS and 6.0 support, and builds PROJ and GDAL with CMake" {
  # Django 5.2's table: GEOS 3.8-3.13, PROJ 6-9, GDAL 3.1-3.10, SpatiaLite 4.3-5.1 (6.0 allows more).
  [[ $(pinned current geos VERSION) =~ ^3\.(8|9|10|11|12|13)\. ]]
  [[ $(pinned current proj VERSION) =~ ^(6|7|8|9)\. ]]
  [[ $(pinned current gdal VERSION) =~ ^3\.([1-9]|10)\. ]]
  [[ $(pinned current libspatialite VERSION) =~ ^(4\.3|5\.0|5\.1)\. ]]
  [[ $(pinned current proj BUILD) == cmake ]]
  [[ $(pinned current gdal BUILD) == cmake ]]
  [[ $(pinned current geos BUILD) == cmake ]]
}

@test "the script and its pins fit in EC2 user data (16 KiB) once gzipped, with room for the cloud-config" {
  local size
  size=$(cat "$AMI" "$VERSIONS" | gzip -9 | wc -c)
  echo "gzipped script and versions.env: $size bytes" >&3
  ((size <= 14336))
}
