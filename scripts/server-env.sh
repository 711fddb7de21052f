# The runtime settings the Rounds server runs with, sourced by ./rounds and by the load benchmark before either
# starts it; a value already set in the environment wins. Set them the same way when starting Rounds.Web.dll
# yourself (README, "Configuration").
#
# The server collector lets the young generation grow to as much as 200 MB per heap between collections. On the
# two-core machines Rounds is sized for, that allowance, not the data, made most of the process's memory: at a
# million posts the server's RSS peaked at 583–609 MB with the default and at about 410 MB with 32 MB
# (docs/performance.md, "What the server's memory was made of").
export DOTNET_GCGen0MaxBudget="${DOTNET_GCGen0MaxBudget:-0x2000000}"
