#!/usr/bin/env bash
# Checks that two builds of the same sources give byte-identical library artifacts.
#
#   bash .ci/reproducible.sh
#
# Copies the tracked and untracked-but-not-ignored files of this tree into two fresh folders and
# builds the published modules in each (every module but cli, bench, it and examples/*, with
# -DskipTests), one after the other, in a different folder, time zone and locale. Then compares the sha256 of
# every jar (main, sources, Javadoc, test-jar) and every flattened pom the two builds wrote, and
# prints a line per file. Exits 0 when every one matches, 1 when one differs or is missing from one
# build (listing the archive entries that differ), and with mvn's status when a build fails.
#
# What makes it pass is project.build.outputTimestamp in the parent pom: every archive entry carries
# that time rather than the build's. Both builds run under umask 022: archive entries keep the modes
# of the files the build writes, so a build under another umask gives other bytes. Writes nothing outside $MINT_REPRO_DIR (default: a temporary
# folder, removed on exit) and never installs into the local Maven repository.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The modules that are not published: not built, not compared.
UNPUBLISHED="!cli,!bench,!it,!examples/echo-protocol"

work="${MINT_REPRO_DIR:-}"
if [[ -z "${work}" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "${work}"' EXIT
fi
mkdir -p "${work}"

# Both copies hold exactly the files git would commit from this working tree.
git ls-files -z --cached --others --exclude-standard >"${work}/files"

build() {
  local name=$1 tz=$2 lang=$3
  local dir="${work}/${name}"
  rm -rf "${dir}"
  mkdir -p "${dir}"
  tar --null -T "${work}/files" -cf - | tar -xf - -C "${dir}"
  echo "== build ${name} (TZ=${tz}, LC_ALL=${lang}) in ${dir}"
  (
    cd "${dir}"
    umask 022
    TZ="${tz}" LC_ALL="${lang}" mvn -B -ntp -q package -DskipTests -Dspotless.check.skip=true \
      -pl "${UNPUBLISHED}" </dev/null >"${work}/${name}.log" 2>&1
  ) || {
    echo "== build ${name} failed; the end of its log:" >&2
    tail -n 60 "${work}/${name}.log" >&2
    return 1
  }
}

# The artifacts a build wrote, as paths relative to its folder, sorted.
artifacts() {
  (
    cd "$1"
    find . -mindepth 3 -maxdepth 3 -path './*/target/*.jar'
    find . -mindepth 2 -maxdepth 2 -name .flattened-pom.xml
  ) | sort
}

build first UTC C
build second Pacific/Chatham C.UTF-8

differ=0
checked=0
while read -r path; do
  a="${work}/first/${path}"
  b="${work}/second/${path}"
  checked=$((checked + 1))
  if [[ ! -f "${b}" ]]; then
    echo "MISSING in the second build  ${path}"
    differ=1
    continue
  fi
  sa=$(sha256sum <"${a}" | cut -d' ' -f1)
  sb=$(sha256sum <"${b}" | cut -d' ' -f1)
  if [[ "${sa}" == "${sb}" ]]; then
    echo "same     ${sa}  ${path#./}"
  else
    echo "DIFFERS  ${sa} ${sb}  ${path#./}"
    if [[ "${path}" == *.jar ]]; then
      # The entries whose size, CRC or time differ.
      diff <(unzip -v "${a}" | awk 'NR > 3 {print $1, $5, $6, $7, $8}') \
        <(unzip -v "${b}" | awk 'NR > 3 {print $1, $5, $6, $7, $8}') | head -n 20 || true
    fi
    differ=1
  fi
done < <(artifacts "${work}/first")

if [[ ${checked} -eq 0 ]]; then
  echo "== no artifact was built" >&2
  exit 1
fi
if [[ $(artifacts "${work}/second" | wc -l) -ne ${checked} ]]; then
  echo "== the second build wrote other files than the first:" >&2
  diff <(artifacts "${work}/first") <(artifacts "${work}/second") >&2 || true
  differ=1
fi
if [[ ${differ} -ne 0 ]]; then
  echo "== NOT reproducible: the two builds differ (${checked} files compared)"
  exit 1
fi
echo "== reproducible: ${checked} files identical in both builds"
