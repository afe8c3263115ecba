#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs the storage benchmark with the given args.
#
#   load-tests/run-storage-bench.sh --quick              # smoke run, ~1-2 min
#   load-tests/run-storage-bench.sh --repeats 3          # full run, ~15 min on 2 cores
#
# Environment:
#   SKIP_INSTALL=1      do not rebuild/install the root project (use the phantom-db jar already in ~/.m2)
#   OFFLINE=1           pass -o to Maven (everything must already be in ~/.m2)
#   PHANTOM_BUILD_DIR   root build output dir (default /tmp/phantom-bench-build, so a shared checkout's
#                       target/ is not touched by a concurrent build)
#   JAVA_OPTS           JVM flags (default: -Xms2g -Xmx4g)
#   JFR=/path/x.jfr     also record a Java Flight Recording (profile settings) of the whole run
#
# The benchmark itself uses only the local disk (data dirs under java.io.tmpdir or --dir), no network.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MVN=(mvn -q -B)
if [[ "${OFFLINE:-0}" == 1 ]]; then
  MVN+=(-o)
fi
BUILD_DIR="${PHANTOM_BUILD_DIR:-${TMPDIR:-/tmp}/phantom-bench-build}"

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  echo "==> installing io.phantomdb:phantom-db from $ROOT (build dir $BUILD_DIR)" >&2
  (cd "$ROOT" && "${MVN[@]}" install -DskipTests -Dbuild.dir="$BUILD_DIR")
fi

echo "==> building load-tests" >&2
(cd "$HERE" && "${MVN[@]}" package)

CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
read -r -a OPTS <<< "${JAVA_OPTS:--Xms2g -Xmx4g}"
if [[ -n "${JFR:-}" ]]; then
  OPTS+=("-XX:StartFlightRecording=filename=$JFR,settings=profile")
fi

echo "==> java ${OPTS[*]} io.phantomdb.bench.StorageBench $*" >&2
cd "$HERE"
exec java "${OPTS[@]}" -cp "$CP" io.phantomdb.bench.StorageBench "$@"
