#!/usr/bin/env bash
# Load benchmark: seeds a level, starts Rounds as in production, signs in, drives the main routes with `hey` and
# appends a table (p50/p95/p99, requests/s, bytes, errors per route, the server's RSS) to docs/performance.md.
#
#   bench/load/run.sh [--posts N] [--db sqlite|postgres] [--connections C] [--duration 20s] [--warmup 3s] [--out FILE]
#
# Every route is first driven for the warm-up time, not counted, once in a first pass over all routes and again just
# before its own measurement: a server that has been up has compiled its code, while the first requests after a start
# run the JIT's quick first versions and compile again as they get hot. `--warmup 0` measures from the first request.
# PostgreSQL: set ROUNDS_BENCH_PG to a connection string of an empty database the script may fill
# (e.g. "Host=localhost;Database=rounds_bench;Username=postgres"). The seeded level is kept under
# bench/load/.data (SQLite) and reused while its size matches; delete it to seed again.
# Exit status: non-zero when a route answered an error status, so CI can run it at 10k as a smoke test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
POSTS=10000 DB=sqlite CONNECTIONS=8 DURATION=20s WARMUP=3s OUTPUT="$ROOT/docs/performance.md" PORT="${ROUNDS_BENCH_PORT:-5091}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --posts) POSTS="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --out) OUTPUT="$2"; shift 2 ;;
    *) echo "Unknown option $1" >&2; exit 2 ;;
  esac
done

if ! command -v hey >/dev/null; then
  if [[ "$(id -u)" == 0 ]]; then apt-get install -y -qq hey >/dev/null; else echo "Install hey (apt-get install hey)." >&2; exit 2; fi
fi

OUT="$ROOT/.build/bench"
DATA="$ROOT/bench/load/.data"
mkdir -p "$DATA"
dotnet build "$ROOT/src/Rounds.Web/Rounds.Web.csproj" -c Release -o "$OUT" --nologo -v quiet -clp:ErrorsOnly >&2

case "$DB" in
  sqlite) CONNECTION="Data Source=$DATA/rounds-$POSTS.db"; PROVIDER=Sqlite ;;
  postgres) CONNECTION="${ROUNDS_BENCH_PG:?Set ROUNDS_BENCH_PG to a PostgreSQL connection string}"; PROVIDER=PostgreSql ;;
  *) echo "--db is sqlite or postgres" >&2; exit 2 ;;
esac

# The server (and the seeder) run with the runtime settings ./rounds gives them.
# shellcheck source=../../scripts/server-env.sh
source "$ROOT/scripts/server-env.sh"
# The seeder creates the demo organization, whose services build mail links, so it needs the public address too.
export ConnectionStrings__Rounds="$CONNECTION" Database__Provider="$PROVIDER" Mail__MailboxPath="$DATA/mail" Rounds__PublicUrl="http://127.0.0.1:$PORT"
rounds() { dotnet "$OUT/Rounds.Web.dll" "$@" --contentRoot "$OUT"; }

# Seeds once per level: the marker holds the level the database was filled to.
MARKER="$DATA/seeded-$DB-$POSTS"
if [[ ! -f "$MARKER" ]]; then
  echo "Seeding $POSTS posts on $DB…" >&2
  SEED_START=$SECONDS
  rounds seed --posts "$POSTS" --accounts 150 --audit "$POSTS" 2>/dev/null
  echo "$((SECONDS - SEED_START)) s" > "$MARKER"
fi

# As in production, but the API's per-token rate limit is lifted (one token drives every API route here) and so is
# the sign-in limit per address (the script signs in again before each page route). Neither the publisher nor
# monitoring runs: the seeded accounts are invented, so each would only call real networks for them in the
# background and bill that time to the routes measured.
ASPNETCORE_ENVIRONMENT=Production Rounds__PublicUrl="http://127.0.0.1:$PORT" RateLimits__ApiPerMinute=100000000 \
  RateLimits__SignInPerMinute=100000 \
  Publishing__Enabled=false Rounds__Monitoring__Ingestion=false Logging__LogLevel__Default=Warning \
  dotnet "$OUT/Rounds.Web.dll" serve --urls "http://127.0.0.1:$PORT" --contentRoot "$OUT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 120); do curl -sf "$BASE/health" >/dev/null 2>&1 && break; sleep 1; done

EMAIL=admin@northfield.example
TOKEN="$(rounds token create --email "$EMAIL" --org northfield --name bench 2>/dev/null)"
# The community board and the memberships belong to the demo network, which the same person administers.
NETWORK_TOKEN="$(rounds token create --email "$EMAIL" --org harbor-network --name bench 2>/dev/null)"

# A cookie for the pages: the sign-in form's antiforgery token, then the form itself. Each page route signs in
# afresh: hey keeps sending the cookie it started with and never the renewed one, so a cookie older than
# Identity:SessionCheckSeconds would make every request pay the session check a browser pays once a minute.
JAR="$DATA/cookies.txt"
sign_in() {
  rm -f "$JAR"
  local form antiforgery
  form="$(curl -s -c "$JAR" "$BASE/Account/Login")"
  antiforgery="$(grep -o 'name="__RequestVerificationToken" value="[^"]*"' <<<"$form" | sed 's/.*value="//;s/"$//')"
  curl -s -b "$JAR" -c "$JAR" -o /dev/null "$BASE/Account/Login" \
    --data-urlencode "__RequestVerificationToken=$antiforgery" --data-urlencode "_handler=login" \
    --data-urlencode "Input.Email=$EMAIL" --data-urlencode "Input.Password=Northfield-demo-2026"
  COOKIE="$(awk '!/^#/ && NF >= 7 {printf "%s=%s; ", $6, $7}' "$JAR"; awk '/^#HttpOnly_/ {printf "%s=%s; ", $6, $7}' "$JAR")"
}

LOAD="$(cut -d" " -f1-3 /proc/loadavg)"
ORG="$BASE/api/v1/orgs/northfield"
POST_ID="$(curl -s -H "Authorization: Bearer $TOKEN" "$ORG/posts?status=published" | grep -o '"id":"[^"]*"' | sed -n 1p | cut -d'"' -f4)"
NETWORK="$BASE/api/v1/orgs/harbor-network"
CATEGORY_ID="$(curl -s -H "Authorization: Bearer $NETWORK_TOKEN" "$NETWORK/community/categories" | grep -o '"id":"[^"]*"' | sed -n 1p | cut -d'"' -f4)"
TODAY="$(date -u +%F)"
FROM="$(date -u -d "$TODAY -14 days" +%FT00:00:00Z)" TO="$(date -u -d "$TODAY +14 days" +%FT00:00:00Z)"

# name | kind (api: the organization's token, network: the network's token, page: the signed-in cookie) | path
ROUTES=(
  "review queue page|page|/o/northfield/posts"
  "review queue API|api|/api/v1/orgs/northfield/review-queue"
  "posts API|api|/api/v1/orgs/northfield/posts"
  "calendar month|page|/o/northfield/calendar?view=month&date=$TODAY"
  "calendar week|page|/o/northfield/calendar?view=week&date=$TODAY"
  "calendar API (4 weeks)|api|/api/v1/orgs/northfield/calendar?from=$FROM&to=$TO"
  "audit log page with a filter|page|/o/northfield/audit?action=post.approved"
  "library search|page|/o/northfield/library?q=flu"
  "accounts list with a filter|page|/o/northfield/accounts?status=active&platform=x"
  "press releases API|api|/api/v1/orgs/northfield/press/releases"
  "one post's page|page|/o/northfield/posts/$POST_ID"
  "/api/v1/me|api|/api/v1/me"
  "engagement roster page|page|/o/northfield/engagement"
  "engagement roster API with a filter|api|/api/v1/orgs/northfield/engagement/physicians?department=Cardiology"
  "public newsroom page|page|/press/northfield"
  "public newsroom API|api|/api/v1/press/northfield/releases"
  "community categories page|page|/o/harbor-network/community"
  "community category page|page|/o/harbor-network/community/c/$CATEGORY_ID"
  "community topics API|network|/api/v1/orgs/harbor-network/community/topics"
  "community search page|page|/o/harbor-network/community/search?q=review"
  "monitoring inbox page|page|/o/northfield/inbox"
  "monitoring inbox API|api|/api/v1/orgs/northfield/monitoring/conversations"
  "membership admin page|page|/o/harbor-network/membership"
  "memberships API|network|/api/v1/orgs/harbor-network/membership/memberships"
  "orders API|network|/api/v1/orgs/harbor-network/membership/orders"
  "invoices API|network|/api/v1/orgs/harbor-network/membership/invoices"
)

route_auth() {
  case "$1" in
    api) auth=(-H "Authorization: Bearer $TOKEN") ;;
    network) auth=(-H "Authorization: Bearer $NETWORK_TOKEN") ;;
    *) sign_in; auth=(-H "Cookie: $COOKIE") ;;
  esac
}
warm() { if [[ "$WARMUP" != 0 && "$WARMUP" != 0s ]]; then hey -z "$WARMUP" -c "$CONNECTIONS" -t 30 -disable-redirects "${auth[@]}" "$BASE$1" >/dev/null; fi; }

# The code the routes share (sign-in, the layout, the database layer) gets hot while any of them runs, so every route
# is driven once before the first is measured; each is then warmed again just before its own measurement.
for route in "${ROUTES[@]}"; do
  IFS='|' read -r name kind path <<<"$route"
  route_auth "$kind"
  warm "$path"
done

ROWS=""
FAILED=0
for route in "${ROUTES[@]}"; do
  IFS='|' read -r name kind path <<<"$route"
  route_auth "$kind"
  # A signed-out page would answer a redirect; check once that the route answers 200 as this person.
  # Pages stream without a Content-Length, so hey cannot size them: the size is this answer's.
  read -r status bytes < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "${auth[@]}" "$BASE$path")
  warm "$path"
  report="$(hey -z "$DURATION" -c "$CONNECTIONS" -t 30 -disable-redirects "${auth[@]}" "$BASE$path")"
  # A route that answered nothing in the time leaves its fields empty ("—").
  p() { { grep -E "^\s+$1% in" <<<"$report" || true; } | awk '{printf "%.0f", $3 * 1000}'; }
  rps="$({ grep 'Requests/sec' <<<"$report" || true; } | awk '{printf "%.1f", $2}')"
  codes="$(sed -n '/Status code distribution/,/^$/p' <<<"$report" | { grep -o '\[[0-9]*\][[:space:]]*[0-9]*' || true; } | tr -s ' \t' ' ' | tr '\n' ' ')"
  errors="$(grep -c 'Error distribution' <<<"$report" || true)"
  if [[ "$status" != 200 || "$codes" =~ \[[45] || "$errors" != 0 ]]; then FAILED=1; fi
  ROWS+="| $name | $(p 50) | $(p 95) | $(p 99) | ${rps:-0} | ${bytes:-—} | first answer $status; ${codes:-no answers} |"$'\n'
  echo "$name: p50 $(p 50) ms, p95 $(p 95) ms, $rps req/s" >&2
done

RSS="$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$SERVER/status") MB (peak $(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SERVER/status") MB)"
{
  echo
  echo "### $POSTS posts on $DB, $CONNECTIONS connections, $DURATION per route after $WARMUP of warm-up ($(date -u '+%F %H:%M UTC'))"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)); load average before the run: $LOAD. Seeded in $(cat "$MARKER"). Server RSS after the run: $RSS; young-generation budget $DOTNET_GCGen0MaxBudget."
  echo
  echo "| route | p50 ms | p95 ms | p99 ms | requests/s | bytes | status codes |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s' "$ROWS"
} >>"$OUTPUT"
echo "Wrote the results to $OUTPUT." >&2
exit $FAILED
