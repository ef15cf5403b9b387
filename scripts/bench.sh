#!/usr/bin/env bash
# SPEC §12 benchmark harness: prints the P1–P10 table and writes docs/PERFORMANCE.md.
# Usage: scripts/bench.sh [--quick]   (quick mode finishes in under 2 minutes)
# Needs PostgreSQL 15+ server binaries for a throwaway cluster, or BAT_BENCH_POSTGRES (admin connection string).
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project benchmarks/BitcoinAutoTrading.Benchmarks -- "$@"
