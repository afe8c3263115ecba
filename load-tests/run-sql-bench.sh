#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs the embedded SQL benchmark (Phantom vs H2 vs
# SQLite) with the given args. Environment knobs (SKIP_INSTALL, OFFLINE, PHANTOM_BUILD_DIR, JAVA_OPTS, JFR):
# see run-bench.sh.
#
#   load-tests/run-sql-bench.sh --quick              # smoke run, ~2 min
#   load-tests/run-sql-bench.sh --repeats 3          # full run, ~15 min on 2 cores
exec "$(dirname "${BASH_SOURCE[0]}")/run-bench.sh" SqlBench "$@"
