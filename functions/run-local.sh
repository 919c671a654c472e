#!/usr/bin/env bash
# Runs ErpFunctions locally with nothing to configure: Azurite (from the tests' lockfile), the Spectrum and Procore
# simulators with their default seeds, and the local runner hosting the Function App's own functions.
# Ctrl-C stops everything. Ports: SPECTRUM_PORT (5101), PROCORE_PORT (5102), RUNNER_PORT (7071); Azurite takes free
# ports unless AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT pin them (10000 / 10001 / 10002 are the ones
# `func start` with local.settings.example.json expects).
set -euo pipefail

functions_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$functions_dir")"
tests_dir="$root/tests"
source "$tests_dir/azurite.sh"

spectrum_port="${SPECTRUM_PORT:-5101}"
procore_port="${PROCORE_PORT:-5102}"
runner_port="${RUNNER_PORT:-7071}"
logs="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_azurite
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {
  local url="$1" name="$2" pid="$3"
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$url" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then echo "$name exited; its log:" >&2; cat "$logs/$name.log" >&2; return 1; fi
    sleep 0.2
  done
  echo "$name did not answer at $url" >&2; return 1
}

echo "Installing Azurite and building (first run takes a minute)..."
npm ci --prefix "$tests_dir" --no-audit --no-fund --loglevel=error
dotnet build "$functions_dir/ErpFunctions.LocalRunner" -nologo -v quiet
dotnet build "$tests_dir/Simulators/ErpFunctions.SpectrumSimulator" -nologo -v quiet
dotnet build "$tests_dir/Simulators/ErpFunctions.ProcoreSimulator" -nologo -v quiet

start_azurite "$tests_dir"

dotnet run --no-build --project "$tests_dir/Simulators/ErpFunctions.SpectrumSimulator" -- --port "$spectrum_port" >"$logs/spectrum.log" 2>&1 &
pids+=($!); wait_for "http://127.0.0.1:$spectrum_port/_sim/requests" spectrum "${pids[-1]}"
dotnet run --no-build --project "$tests_dir/Simulators/ErpFunctions.ProcoreSimulator" -- --port "$procore_port" >"$logs/procore.log" 2>&1 &
pids+=($!); wait_for "http://127.0.0.1:$procore_port/_sim/requests" procore "${pids[-1]}"

export AzureWebJobsStorage="$AZURITE_CONNECTION_STRING"
export Urls="http://127.0.0.1:$runner_port"
export Spectrum__BaseUrl="http://127.0.0.1:$spectrum_port" Spectrum__AuthorizationId="SIM-SDE-AUTH" Spectrum__CompanyCode="ABC"
export Procore__LoginBaseUrl="http://127.0.0.1:$procore_port" Procore__ApiBaseUrl="http://127.0.0.1:$procore_port"
export Procore__ClientId="sim-client-id" Procore__ClientSecret="sim-client-secret" Procore__CompanyId="4101"
export Procore__BudgetPageUrlTemplate="http://127.0.0.1:$procore_port/_sim/state?project={projectId}"
export Reimport__PhaseMask="##-####" Reimport__CreateMissingCostCodes="true" Reimport__SpectrumBudgetLockedUdf="1" Reimport__EstimatesPostedUdf="2"
webhook_secret="Bearer local-demo-webhook-secret"
export Webhooks__Secret="$webhook_secret" Webhooks__IgnoreUserIds__0="9001"

dotnet run --no-build --project "$functions_dir/ErpFunctions.LocalRunner" > >(tee "$logs/runner.log") 2>&1 &
pids+=($!); wait_for "http://127.0.0.1:$runner_port/api/health" runner "${pids[-1]}"

api="http://127.0.0.1:$runner_port/api"
cat <<BANNER

ErpFunctions is running locally (logs in $logs):
  Operator page               http://127.0.0.1:$runner_port/app/   (sign in: olivia@summit.example is Standard, rita@summit.example Read Only)
  API (local runner)          $api   (health: $api/health)
  Spectrum simulator (SDE)    http://127.0.0.1:$spectrum_port   (admin: /_sim/jobs, /_sim/requests)
  Procore simulator           http://127.0.0.1:$procore_port   (admin: /_sim/state, /_sim/requests)
  Azurite                     $AZURITE_CONNECTION_STRING

Re-import the demo job 22-208 as operator Olivia (Standard on ERP Integrations), then follow the run:

  curl -s -X POST $api/budgets/22-208/reimport -H 'Authorization: Bearer sim-operator-standard' -H 'Content-Type: application/json' -d '{"confirm": true}'
  curl -s $api/reimports/<runId from the answer> -H 'Authorization: Bearer sim-operator-standard'

Or both at once:

  run=\$(curl -s -X POST $api/budgets/22-208/reimport -H 'Authorization: Bearer sim-operator-standard' -H 'Content-Type: application/json' -d '{"confirm": true}' | sed -n 's/.*"runId":"\([^"]*\)".*/\1/p'); sleep 5; curl -s $api/reimports/\$run -H 'Authorization: Bearer sim-operator-standard'

Deliver a Procore webhook (the demo's hook secret is '$webhook_secret'): an ERP request to re-import 22-208, made in
the Procore simulator first, then announced:

  request=\$(curl -s -X POST http://127.0.0.1:$procore_port/_sim/erp-requests -H 'Content-Type: application/json' -d '{"requestName": "reimport_budget", "requestData": {"project_origin_id": "22-208"}}' | sed -n 's/.*"id":\([0-9]*\).*/\1/p')
  curl -s -X POST $api/webhooks/procore -H 'Authorization: $webhook_secret' -H 'Content-Type: application/json' -d "{\"ulid\": \"01DEMO\$request\", \"resource_name\": \"ERP Requests\", \"event_type\": \"create\", \"resource_id\": \$request, \"company_id\": 4101}"

More: GET $api/budgets?filter=all, GET $api/budgets/22-208/preview (same Authorization header). Ctrl-C stops everything.
BANNER

wait "${pids[-1]}"
