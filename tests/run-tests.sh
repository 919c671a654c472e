#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs Azurite from the committed lockfile, restores NuGet packages,
# installs Debian's chromium for the browser tests when it is missing, starts Azurite in memory on free loopback ports,
# runs every test project of the solution, then stops Azurite.
set -euo pipefail

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$tests_dir")"
source "$tests_dir/azurite.sh"

npm ci --prefix "$tests_dir" --no-audit --no-fund --loglevel=error
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work on our machines).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_if_needed=""; [ "$(id -u)" -ne 0 ] && sudo_if_needed="sudo"
  $sudo_if_needed apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq chromium >/dev/null
fi
start_azurite "$tests_dir"
trap stop_azurite EXIT

# Tests read the storage account from here and isolate themselves by unique queue and table names.
export ERPFUNCTIONS_TEST_STORAGE="$AZURITE_CONNECTION_STRING"
# The fault suite and the bad-input corpus write their figures here; they are printed at the end (README: Reliability).
export ERPFUNCTIONS_RELIABILITY_DIR="$(mktemp -d)"

dotnet restore "$root/ErpFunctions.sln"
dotnet build "$root/ErpFunctions.sln" --no-restore
# Normal verbosity lists every test, and the reason of any skipped one.
status=0
dotnet test "$root/ErpFunctions.sln" --no-build --logger "console;verbosity=normal" || status=$?

took="$((SECONDS / 60)) min $((SECONDS % 60)) s"
{
  echo "Recorded by \`./tests/run-tests.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores); the whole command took **$took**."
  echo
  for figures in "$ERPFUNCTIONS_RELIABILITY_DIR"/*.md; do
    [ -e "$figures" ] && { sed 's/^### /#### /' "$figures"; echo; }
  done
} >"$ERPFUNCTIONS_RELIABILITY_DIR/all.txt"
echo
echo "== Reliability figures (fault suite, bad-input corpus) =="
cat "$ERPFUNCTIONS_RELIABILITY_DIR/all.txt"
# On request, and only from a passing run, the README's Reliability figures are replaced by this run's.
if [ "${ERPFUNCTIONS_REFRESH_README:-}" = "1" ] && [ "$status" -eq 0 ]; then
  awk -v figures="$ERPFUNCTIONS_RELIABILITY_DIR/all.txt" '
    /<!-- reliability-figures:end -->/ { while ((getline line < figures) > 0) print line; skipping = 0 }
    !skipping { print }
    /<!-- reliability-figures:start -->/ { skipping = 1 }
  ' "$root/README.md" >"$ERPFUNCTIONS_RELIABILITY_DIR/README.md"
  cat "$ERPFUNCTIONS_RELIABILITY_DIR/README.md" >"$root/README.md"
  echo "== README.md: Reliability figures replaced by this run's =="
fi
rm -rf "$ERPFUNCTIONS_RELIABILITY_DIR"
echo "== The whole command took $took =="
exit "$status"
