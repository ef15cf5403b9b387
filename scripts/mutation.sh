#!/usr/bin/env bash
# Mutation testing of Core's money logic (issue #18): Stryker.NET (local tool, .config/dotnet-tools.json) mutates
# src/BitcoinAutoTrading.Core and runs tests/BitcoinAutoTrading.UnitTests against each mutant, then prints the score
# per folder. Settings (concurrency 1, Release, exclusions) are in stryker-config.json; docs/QUALITY.md has the results.
#
#   scripts/mutation.sh                       # Risk, Trading, Signals, Exchange and Market in one run
#   scripts/mutation.sh Trading Risk          # only those folders
#   STRYKER_CONCURRENCY=2 scripts/mutation.sh # more parallel test runs (default 1: the machine is shared)
#   scripts/mutation.sh --since main Trading  # only mutants in files changed since main (Stryker's --since)
#
# Signals means its pure folders Decision, Analysis, Indicators and Sampling. Exits 1 when a folder scores under 80 %.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

since=()
if [ "${1:-}" = "--since" ]; then
  since=("--since:${2:?--since needs a commit, e.g. main}")
  shift 2
fi
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=(Risk Trading Signals Exchange Market)

mutate=()
for folder in "${folders[@]}"; do
  case "$folder" in
    Signals) for sub in Decision Analysis Indicators Sampling; do mutate+=(-m "**/Signals/$sub/**/*.cs"); done ;;
    Risk|Trading|Exchange|Market) mutate+=(-m "**/$folder/**/*.cs") ;;
    *) echo "Unknown folder '$folder'; choose from Risk, Trading, Signals, Exchange, Market." >&2; exit 2 ;;
  esac
done

out="$PWD/StrykerOutput/$(date -u +%Y%m%dT%H%M%SZ)"
dotnet tool restore >/dev/null
started=$(date +%s)
(cd tests/BitcoinAutoTrading.UnitTests && dotnet stryker -f ../../stryker-config.json "${mutate[@]}" "${since[@]}" \
  --concurrency "${STRYKER_CONCURRENCY:-1}" -O "$out" --skip-version-check)
echo "Run time: $(( $(date +%s) - started )) s; report: $out/reports/mutation-report.html"

python3 - "$out/reports/mutation-report.json" "${folders[@]}" <<'PY'
import json, sys
from collections import Counter, defaultdict

report, wanted = sys.argv[1], sys.argv[2:]
KILLED, LIVE = {"Killed", "Timeout"}, {"Survived", "NoCoverage"}

def folder_of(path):
    rel = path.replace("\\", "/").split("BitcoinAutoTrading.Core/", 1)[-1]
    parts = rel.split("/")
    if parts[0] == "Signals" and len(parts) > 2 and parts[1] in ("Decision", "Analysis", "Indicators", "Sampling"):
        return "Signals", rel
    return parts[0], rel

counts, survivors = defaultdict(Counter), defaultdict(list)
for path, data in json.load(open(report))["files"].items():
    folder, rel = folder_of(path)
    if folder not in wanted:
        continue
    for m in data["mutants"]:
        if m["status"] == "Ignored" and "mutate filter" in m.get("statusReason", ""):
            continue
        counts[folder][m["status"]] += 1
        if m["status"] in LIVE:
            survivors[folder].append(f'{rel}:{m["location"]["start"]["line"]} {m["status"]} {m["mutatorName"]}: {m.get("replacement", "")[:70]}')

print(f'{"folder":<10}{"score":>8}{"killed":>8}{"survived":>10}{"no cov.":>9}{"excluded":>10}{"compile err.":>14}')
failed = False
for folder in wanted:
    c = counts[folder]
    killed, live = sum(c[s] for s in KILLED), sum(c[s] for s in LIVE)
    score = 100.0 * killed / (killed + live) if killed + live else 100.0
    failed |= score < 80
    print(f'{folder:<10}{score:>7.2f}%{killed:>8}{c["Survived"]:>10}{c["NoCoverage"]:>9}{c["Ignored"]:>10}{c["CompileError"]:>14}')
for folder in wanted:
    for line in survivors[folder]:
        print(f"  survivor {line}")
sys.exit(1 if failed else 0)
PY
