#!/usr/bin/env bash
# Compiles infra/main.bicep and lints every .bicep file under infra/ with the Bicep CLI from NuGet.
# infra/bicepconfig.json makes every core linter rule an error; on top of that any diagnostic at all
# (warning or info included) fails the run. Needs only the dotnet SDK and a reachable NuGet feed:
# local modules compile offline (no br: registry modules).
# Prints one closing line: "bicep: N files, N diagnostics, ok|FAILED in Ns".
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The one place the version is written is the PackageDownload in infra/tools/BicepCli.proj.
BICEP_VERSION=$(sed -n 's/.*"Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' infra/tools/BicepCli.proj)
start=$SECONDS

# 1. The CLI: a PackageDownload in a restore-only project (not part of the solution).
if ! dotnet restore infra/tools/BicepCli.proj --verbosity quiet; then
  echo "bicep-lint: could not restore Azure.Bicep.CommandLine.linux-x64 ${BICEP_VERSION} from NuGet" >&2
  exit 1
fi
packages=${NUGET_PACKAGES:-}
if [ -z "$packages" ]; then
  packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
fi
bicep="${packages%/}/azure.bicep.commandline.linux-x64/${BICEP_VERSION}/tools/bicep"
if [ ! -f "$bicep" ]; then
  echo "bicep-lint: the Bicep CLI was not found at $bicep after restore" >&2
  exit 1
fi
chmod +x "$bicep"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

mapfile -t files < <(find infra -name '*.bicep' -not -path '*/obj/*' -not -path '*/bin/*' | sort)
status=0
log="$out/diagnostics.txt"
: >"$log"

# 2. Build the entry point (generated ARM JSON goes to the temp dir, never into the repository).
if ! "$bicep" build infra/main.bicep --outdir "$out" >>"$log" 2>&1; then
  status=1
fi

# 3. Lint every file in one CLI start (each start of the single-file CLI costs ~2 s).
if ! "$bicep" lint --pattern 'infra/**/*.bicep' >>"$log" 2>&1; then
  status=1
fi

# 4. The parameters file must at least be valid JSON (azd substitutes ${VARS} inside string values).
if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' infra/main.parameters.json 2>>"$log"; then
  echo "infra/main.parameters.json is not valid JSON" >>"$log"
  status=1
fi

# Every diagnostic line looks like "path(line,col) : Level code: message"; count them all, whatever the level.
# The build and the lint report the same finding twice: count distinct lines.
diagnostics=$(grep -E '\([0-9]+,[0-9]+\) : (Error|Warning|Info)' "$log" | sort -u | wc -l || true)
if [ -s "$log" ]; then
  sort -u "$log"
fi
if [ "$diagnostics" -gt 0 ] || [ "$status" -ne 0 ]; then
  echo "bicep: ${#files[@]} files, $diagnostics diagnostics, FAILED in $((SECONDS - start))s"
  exit 1
fi
echo "bicep: ${#files[@]} files, 0 diagnostics, ok in $((SECONDS - start))s"
