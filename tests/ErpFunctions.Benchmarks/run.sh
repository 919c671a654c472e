#!/usr/bin/env bash
# The benchmark, by itself (not part of the test suite): builds in Release, starts Azurite from the tests' lockfile,
# runs both simulators as processes with injected latency, and prints the figures as a Markdown table.
# Arguments go to the benchmark, e.g. ./tests/ErpFunctions.Benchmarks/run.sh --sizes 100,1000
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tests_dir="$(dirname "$bench_dir")"
source "$tests_dir/azurite.sh"

npm ci --prefix "$tests_dir" --no-audit --no-fund --loglevel=error >&2
dotnet build "$bench_dir" -c Release -v quiet -nologo >&2
start_azurite "$tests_dir" >&2
trap stop_azurite EXIT
export AZURITE_CONNECTION_STRING

dotnet run -c Release --no-build --project "$bench_dir" -- "$@"
