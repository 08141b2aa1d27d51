#!/usr/bin/env bash
# Runs every test of the workspace. Works on a fresh machine: installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PROPTEST_CASES="${PROPTEST_CASES:-256}"
cargo test --workspace --all-features --locked
