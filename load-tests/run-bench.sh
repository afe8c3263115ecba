#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs one benchmark main class with the given args.
# Used by run-storage-bench.sh (StorageBench), run-sql-bench.sh (SqlBench), run-txn-bench.sh (TxnBench) and
# run-wire-bench.sh (WireBench):
#
#   load-tests/run-bench.sh StorageBench --quick
#   load-tests/run-bench.sh SqlBench --repeats 3
#
# Environment:
#   SKIP_INSTALL=1      do not rebuild/install the root project (use the phantom-db jar already in ~/.m2)
#   OFFLINE=1           pass -o to Maven (everything must already be in ~/.m2)
#   PHANTOM_BUILD_DIR   root build output dir (default /tmp/phantom-bench-build, so a shared checkout's
#                       target/ is not touched by a concurrent build)
#   JAVA_OPTS           JVM flags (default: -Xms2g -Xmx4g)
#   JFR=/path/x.jfr     also record a Java Flight Recording (profile settings) of the whole run
#
# The benchmarks use only the local disk (data dirs under java.io.tmpdir or --dir); SqlBench's Phantom also
# binds a free TCP port on 127.0.0.1 (its one-node cluster); TxnBench's Phantom does too, and its PostgreSQL
# (a throwaway local cluster) listens on another free port of 127.0.0.1. WireBench starts a PostgreSQL cluster and
# Phantom's wire protocol server (a child JVM) on free ports of 127.0.0.1. No other network.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 StorageBench|SqlBench|TxnBench|WireBench [benchmark options]" >&2
  exit 2
fi
MAIN="$1"
shift

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MVN=(mvn -q -B)
if [[ "${OFFLINE:-0}" == 1 ]]; then
  MVN+=(-o)
fi
BUILD_DIR="${PHANTOM_BUILD_DIR:-${TMPDIR:-/tmp}/phantom-bench-build}"

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
  echo "==> installing io.phantomdb:phantom-db from $ROOT (build dir $BUILD_DIR)" >&2
  # maven.test.skip: the benchmarks need the main jar only; not compiling the tests keeps the install fast and
  # independent of test sources being edited in a shared tree.
  (cd "$ROOT" && "${MVN[@]}" install -Dmaven.test.skip=true -Dbuild.dir="$BUILD_DIR")
fi

echo "==> building load-tests" >&2
(cd "$HERE" && "${MVN[@]}" package)

CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
read -r -a OPTS <<< "${JAVA_OPTS:--Xms2g -Xmx4g}"
if [[ -n "${JFR:-}" ]]; then
  OPTS+=("-XX:StartFlightRecording=filename=$JFR,settings=profile")
fi

echo "==> java ${OPTS[*]} io.phantomdb.bench.$MAIN $*" >&2
cd "$HERE"
exec java "${OPTS[@]}" -cp "$CP" "io.phantomdb.bench.$MAIN" "$@"
