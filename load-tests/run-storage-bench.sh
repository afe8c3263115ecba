#!/usr/bin/env bash
# Builds Phantom-DB (root project), builds load-tests, and runs the storage benchmark (Phantom's engine vs
# RocksDB) with the given args. Environment knobs (SKIP_INSTALL, OFFLINE, PHANTOM_BUILD_DIR, JAVA_OPTS, JFR):
# see run-bench.sh.
#
#   load-tests/run-storage-bench.sh --quick              # smoke run, ~1-2 min
#   load-tests/run-storage-bench.sh --repeats 3          # full run, ~15 min on 2 cores
exec "$(dirname "${BASH_SOURCE[0]}")/run-bench.sh" StorageBench "$@"
