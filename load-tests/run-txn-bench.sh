#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs the transaction commit benchmark (Phantom vs
# PostgreSQL, when installed, vs SQLite vs H2) with the given args. Environment knobs (SKIP_INSTALL, OFFLINE,
# PHANTOM_BUILD_DIR, JAVA_OPTS, JFR): see run-bench.sh.
#
#   load-tests/run-txn-bench.sh --quick              # smoke run, ~2-3 min
#   load-tests/run-txn-bench.sh --repeats 3          # full run, ~20 min on 2 cores
exec "$(dirname "${BASH_SOURCE[0]}")/run-bench.sh" TxnBench "$@"
