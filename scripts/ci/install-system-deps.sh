#!/usr/bin/env bash
# Installs the system tools that dev, tests and CI need beyond Node: a JDK + Maven (scripts/kafka
# assembles and runs a real Kafka broker from Maven Central), kcat (tests drive Kafka from outside
# the Node process), Prometheus and promtool (check the shipped alerting rules; the paging test and
# the demo run the server), Alertmanager and amtool (the paging test, the demo, the shipped config),
# openssl (KAFKA_SECURE=1 makes the secured broker's CA and certificates with it; Debian's slim
# images lack the binary).
# Idempotent: when every tool is already on PATH it does nothing, not even `apt-get update`.
set -euo pipefail

# tool on PATH -> Debian package that provides it (bookworm names; `kafkacat` is only a
# transitional alias of `kcat`).
declare -A PACKAGE_OF=(
  [java]=openjdk-17-jdk-headless
  [mvn]=maven
  [kcat]=kcat
  [promtool]=prometheus
  [prometheus]=prometheus
  [amtool]=prometheus-alertmanager
  [prometheus-alertmanager]=prometheus-alertmanager
  [kubectl]=kubernetes-client
  [rsyslogd]=rsyslog
  [openssl]=openssl
)

TOOLS=(java mvn kcat promtool prometheus amtool prometheus-alertmanager kubectl rsyslogd openssl)
missing=()
for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$tool]}")
done
# rsyslog's Kafka output (omkafka, librdkafka inside) is a module, not a tool on PATH: the
# independent shipper of test/worker/rsyslog.kafka.test.ts.
compgen -G '/usr/lib/*/rsyslog/omkafka.so' >/dev/null || missing+=(rsyslog-kafka)
# Each package once, however many of its tools are missing.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if ((${#missing[@]} == 0)); then
  echo "install-system-deps: ${TOOLS[*]} and omkafka already installed"
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

# The prometheus, prometheus-alertmanager and rsyslog packages ship daemons; tests and the demo
# start their own (own ports, own folders, rsyslogd in the foreground), so keep the maintainer
# scripts from starting the system ones (policy-rc.d exit 101 = "action forbidden"). Only ours is removed.
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

for tool in "${TOOLS[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install-system-deps: $tool still missing after install" >&2; exit 1; }
done
echo "install-system-deps: done"
