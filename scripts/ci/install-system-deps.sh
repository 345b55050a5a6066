#!/usr/bin/env bash
# Installs the system tools that dev, tests and CI need beyond Node: a JDK + Maven (scripts/kafka
# assembles and runs a real Kafka broker from Maven Central), kcat (tests drive Kafka from outside
# the Node process) and promtool (checks the shipped alerting rules).
# Idempotent: when every tool is already on PATH it does nothing, not even `apt-get update`.
set -euo pipefail

# tool on PATH -> Debian package that provides it (bookworm names; `kafkacat` is only a
# transitional alias of `kcat`).
declare -A PACKAGE_OF=(
  [java]=openjdk-17-jdk-headless
  [mvn]=maven
  [kcat]=kcat
  [promtool]=prometheus
  [kubectl]=kubernetes-client
  [rsyslogd]=rsyslog
)

missing=()
for tool in java mvn kcat promtool kubectl rsyslogd; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$tool]}")
done
# rsyslog's Kafka output (omkafka, librdkafka inside) is a module, not a tool on PATH: the
# independent shipper of test/worker/rsyslog.kafka.test.ts.
compgen -G '/usr/lib/*/rsyslog/omkafka.so' >/dev/null || missing+=(rsyslog-kafka)

if ((${#missing[@]} == 0)); then
  echo "install-system-deps: java, mvn, kcat, promtool, kubectl, rsyslog with omkafka already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-system-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=()
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive

# The prometheus and rsyslog packages ship daemons; we only want promtool, and rsyslogd run by the
# tests in the foreground, so keep their maintainer scripts from starting a server (policy-rc.d exit 101 = "action forbidden"). Only ours is removed.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  own_policy=1
fi
cleanup() { if ((own_policy)); then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

# apt is chatty even with -qq (debconf notes on stderr): keep its output, show it only on failure.
apt_log=$(mktemp)
if ! { "${SUDO[@]}" apt-get update -qq &&
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
  cat "$apt_log" >&2
  rm -f "$apt_log"
  echo "install-system-deps: apt-get failed for: ${missing[*]}" >&2
  exit 1
fi
rm -f "$apt_log"

for tool in java mvn kcat promtool kubectl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-system-deps: $tool still missing after install" >&2; exit 1; }
done
echo "install-system-deps: done"
