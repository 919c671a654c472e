#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs Azurite from the committed lockfile, restores NuGet packages,
# starts Azurite in memory on free loopback ports, runs every test project of the solution, then stops Azurite.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$tests_dir")"
source "$tests_dir/azurite.sh"

npm ci --prefix "$tests_dir" --no-audit --no-fund --loglevel=error
start_azurite "$tests_dir"
trap stop_azurite EXIT

# Tests read the storage account from here and isolate themselves by unique queue and table names.
export ERPFUNCTIONS_TEST_STORAGE="$AZURITE_CONNECTION_STRING"

dotnet restore "$root/ErpFunctions.sln"
dotnet build "$root/ErpFunctions.sln" --no-restore
# Normal verbosity lists every test, and the reason of any skipped one.
dotnet test "$root/ErpFunctions.sln" --no-build --logger "console;verbosity=normal"
