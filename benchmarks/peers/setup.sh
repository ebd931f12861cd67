#!/usr/bin/env bash
# Virtual environments of the peers of issue 15, apart from lca's (none of them is a
# dependency of lca): EcoLogits 0.11 and Boavizta API 2.5 for the benchmarks, CodeCarbon 3.x
# and 2.x for tests/fixtures/codecarbon/make_fixtures.py.
# Usage: bash benchmarks/peers/setup.sh [FOLDER]   (default: $LCA_PEERS or /tmp/lca-peers)
set -euo pipefail
root=${1:-${LCA_PEERS:-/tmp/lca-peers}}
make() {  # make NAME PACKAGE...
  local venv="$root/$1"; shift
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "$@"
  fi
  echo "$venv/bin/python"
}
make ecologits "ecologits==0.11.3"
make boaviztapi "boaviztapi==2.5.0" httpx   # httpx: FastAPI's in-process test client
make codecarbon "codecarbon==3.3.2"
make codecarbon2 "codecarbon==2.8.4"
