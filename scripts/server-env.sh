# The runtime settings the Rounds server runs with, sourced by ./rounds and by the load benchmark before either
# starts it; a value already set in the environment wins. Set them the same way when starting Rounds.Web.dll
# yourself (README, "Configuration").
#
# The server collector lets the young generation grow to as much as 200 MB per heap between collections. On the
# two-core machines Rounds is sized for, that allowance, not the live data, was most of the collector's memory:
# driving the review-queue page and the calendar at 16 connections, a fresh server peaked at 581 MB with the
# runtime's allowance and at 388–408 MB with 32 MB; through the whole million-post benchmark on SQLite, at 619 MB
# without it and 527 MB with it (docs/performance.md, "What the server's memory was made of").
export DOTNET_GCGen0MaxBudget="${DOTNET_GCGen0MaxBudget:-0x2000000}"
