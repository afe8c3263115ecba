#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs the wire protocol benchmark (pgjdbc against
# Phantom-DB's PostgreSQL wire server, in a child JVM, and against a throwaway PostgreSQL cluster) with the given
# args. Environment knobs (SKIP_INSTALL, OFFLINE, PHANTOM_BUILD_DIR, JAVA_OPTS, JFR): see run-bench.sh; with
# JFR=/path/x.jfr the Phantom server JVM is recorded too, to /path/x-server.jfr (or pass --server-jfr PATH).
#
#   load-tests/run-wire-bench.sh --quick              # smoke run, ~3 min
#   load-tests/run-wire-bench.sh                      # full run (100k rows, 2 repeats), ~10-15 min on 2 cores
set -euo pipefail
ARGS=("$@")
if [[ -n "${JFR:-}" && " $* " != *" --server-jfr "* ]]; then
  ARGS+=(--server-jfr "${JFR%.jfr}-server.jfr")
fi
exec "$(dirname "${BASH_SOURCE[0]}")/run-bench.sh" WireBench "${ARGS[@]}"
