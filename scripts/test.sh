#!/usr/bin/env bash
# The whole Rounds test suite: unit, integration on SQLite and on a throwaway PostgreSQL cluster, browser, and a short
# run of the load benchmark (bench/load/run.sh at 10,000 posts) that fails on any error status.
# As root it installs what is missing (Debian postgresql, chromium, redis-server and hey, the npm packages of tests/tooling).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing_debian=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing_debian+=(postgresql)
[ -x /usr/bin/chromium ] || missing_debian+=(chromium)
# The Bluesky AppView the notification tests run (tests/tooling/appview.mjs) keeps its caches in Redis.
command -v redis-server >/dev/null 2>&1 || missing_debian+=(redis-server)
command -v npm >/dev/null 2>&1 || missing_debian+=(npm)
command -v hey >/dev/null 2>&1 || missing_debian+=(hey)

if [ ${#missing_debian[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing ${missing_debian[*]} (Debian packages) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_debian[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: ${missing_debian[*]}" >&2
    echo "Install them with:  sudo apt-get install -y ${missing_debian[*]}" >&2
    echo "(or run ./rounds test as root, which installs them)" >&2
    exit 1
  fi
fi


if [ ! -f tests/tooling/node_modules/axe-core/axe.min.js ] || [ ! -d tests/tooling/node_modules/@atproto/dev-env ] || [ ! -d tests/tooling/node_modules/s3rver ]; then
  echo "Installing test tooling (npm ci in tests/tooling) ..."
  (cd tests/tooling && npm ci --no-audit --no-fund --loglevel=error)
fi

# A test host that the runner kills at the end never runs its exit handler, so the PostgreSQL cluster it started
# would outlive the run. Each cluster's folder names the process that started it; stop those whose process is gone.
stop_leftover_clusters() {
  local folder pid pg_ctl
  pg_ctl="$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)"
  for folder in "${TMPDIR:-/tmp}"/rounds-pg-*; do
    [ -d "$folder" ] || continue
    pid="${folder##*/rounds-pg-}"; pid="${pid%%-*}"
    kill -0 "$pid" 2>/dev/null && continue
    if [ -n "$pg_ctl" ] && [ -f "$folder/data/postmaster.pid" ]; then
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true
      else "$pg_ctl" -D "$folder/data" -m immediate stop >/dev/null 2>&1 || true; fi
    fi
    rm -rf "$folder" 2>/dev/null || true
  done
}
trap stop_leftover_clusters EXIT

echo "Building ..."
dotnet build Rounds.slnx -c Release --nologo -v quiet -clp:ErrorsOnly

results="$ROOT/.build/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "Running $name ..."
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# The load benchmark at 10,000 posts, briefly, as a smoke test: it fails when a route answers an error, never on times.
echo "Running the load benchmark at 10,000 posts (smoke) ..."
bench/load/run.sh --posts 10000 --duration 2s --warmup 1s --connections 4 --out "$results/performance.md" || status=1

# Count what ran where, from the TRX files: PostgreSQL classes end in OnPostgres, browser tests live in .Browser,
# tests against the Bluesky reference PDS are the connector's, those under Publishing.Delivery.Pds and monitoring's.
count() { grep -ho "<UnitTestResult [^>]*>" "$results"/*.trx | grep -E "$1" | grep -c "outcome=\"$2\"" || true; }
passed=$(count '.' Passed)
failed=$(count '.' Failed)
pg=$(count 'testName="[^"]*OnPostgres' Passed)
browser=$(count 'testName="[^"]*\.Browser\.' Passed)
pds=$(count 'testName="(Rounds\.Networks\.Tests\.Bluesky\.BlueskyConnectorTests|Rounds\.Web\.Tests\.Features\.Publishing\.Delivery\.Pds\.|Rounds\.Web\.Tests\.Features\.Monitoring\.MonitoringFromPds)' Passed)
echo
echo "Ran against PostgreSQL: $pg passed"
echo "Ran in the browser (Chromium): $browser passed"
echo "Ran against the Bluesky reference PDS: $pds passed"
echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit $status
