#!/usr/bin/env bash
# The PolicyService benchmark, in one command (see bench/README.md):
#
#   bash bench/run.sh                      # 1k, 100k and 1M measures, 3 runs each; writes bench/results/
#   bash bench/run.sh --smoke              # a few seconds at 1k measures, results to a scratch folder (CI runs this)
#   bash bench/run.sh --runs 5 --sizes 1000,1000000    # other options go to the harness (see bench/README.md)
#   bash bench/run.sh --data-set dense                 # the dense stress data set instead of the wide one
#   bash bench/run.sh --provider sqlserver             # the SqlServer provider on POLICYSERVICE_BENCH_SQLSERVER (or _TEST_); bench/results/sqlserver/
#
# Builds Release, installs h2load (Debian's nghttp2-client) if it is missing, builds the synthetic databases once
# (cached in bench/.data/), then runs bench/PolicyService.Bench.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

smoke=0 args=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    *) args+=("$arg") ;;
  esac
done

if ! command -v h2load >/dev/null; then
  echo "== installing h2load (nghttp2-client)"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nghttp2-client >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq nghttp2-client >/dev/null; fi
fi

echo "== build (Release)"
dotnet build bench/PolicyService.Bench/PolicyService.Bench.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
bench=bench/PolicyService.Bench/bin/Release/net10.0/PolicyService.Bench.dll
server=src/PolicyService.Server/bin/Release/net10.0/PolicyService.Server.dll

run=(dotnet "$bench" run --server "$server")
if [ "$smoke" = 1 ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  run+=(--sizes 1000 --runs 1 --warmup 1 --duration 2 --mix 1000 --samples 20 --data "$scratch/data" --out "$scratch/results")
fi
echo "== benchmark"
"${run[@]}" "${args[@]}"
