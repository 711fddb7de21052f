#!/usr/bin/env bash
# Monitoring at a health system's rate (docs/performance.md): the AT Protocol reference PDS with 150 registered
# accounts, posts and mentions at 10,000 an hour, Rounds following its event stream; reports Rounds' CPU, the time
# from post to inbox, and posts lost or filed twice. Needs the test tooling's Node packages (npm ci in tests/tooling).
#   bench/ingestion/run.sh                                  # 150 accounts, 10,000 posts an hour, 10 minutes, SQLite
#   bench/ingestion/run.sh --minutes 3 --rate 20000
#   bench/ingestion/run.sh --postgres "Host=localhost;Database=rounds_ingest;Username=postgres"
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d tests/tooling/node_modules/@atproto/dev-env ]; then
  (cd tests/tooling && npm ci --no-audit --no-fund)
fi
exec dotnet run -c Release --project tools/Rounds.DbTool -- measure-ingestion "$@"
