#!/usr/bin/env bash
# The publisher under a burst (docs/performance.md): approved posts due within one minute across many accounts,
# sent by the real publishing cycle to a network held in memory with a per-account rate limit.
#   bench/publisher/run.sh                          # 10,000 posts, 100 accounts, SQLite
#   bench/publisher/run.sh --posts 2000 --latency-ms 100
#   bench/publisher/run.sh --latency-ms 300-800 --parallelism 32   # a slow network: each call 300 to 800 ms
#   bench/publisher/run.sh --postgres "Host=localhost;Database=rounds_burst;Username=postgres"
# A smaller burst to the AT Protocol reference PDS (the test tooling's Node packages, installed if missing): accounts
# created on it and connected with app passwords through the Bluesky connector, every account's posts listed back from the PDS afterwards.
#   bench/publisher/run.sh --pds                                   # 500 posts, 10 accounts, SQLite
#   bench/publisher/run.sh --pds --rate-limits                     # with the PDS's own per-account limits on
#   bench/publisher/run.sh --pds --posts 1000 --accounts 20 --timeout-minutes 15
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ " $* " == *" --pds "* ]] && [ ! -d tests/tooling/node_modules/@atproto/dev-env ]; then
  (cd tests/tooling && npm ci --no-audit --no-fund)
fi
exec dotnet run -c Release --project tools/Rounds.DbTool -- measure-publisher-burst "$@"
