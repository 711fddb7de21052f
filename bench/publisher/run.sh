#!/usr/bin/env bash
# The publisher under a burst (docs/performance.md): approved posts due within one minute across many accounts,
# sent by the real publishing cycle to a network held in memory with a per-account rate limit.
#   bench/publisher/run.sh                          # 10,000 posts, 100 accounts, SQLite
#   bench/publisher/run.sh --posts 2000 --latency-ms 100
#   bench/publisher/run.sh --latency-ms 300-800 --parallelism 32   # a slow network: each call 300 to 800 ms
#   bench/publisher/run.sh --postgres "Host=localhost;Database=rounds_burst;Username=postgres"
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tools/Rounds.DbTool -- measure-publisher-burst "$@"
