#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A real single-node Apache Kafka broker (KRaft) for development, tests and CI, without Docker:
# the broker's jars come from Maven Central (once, into a cache outside the repo) and it runs as a
# background JVM on 127.0.0.1. See `kafka.sh help`.
set -euo pipefail

KAFKA_SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly KAFKA_SCRIPT_DIR
source "$KAFKA_SCRIPT_DIR/lib/config.sh"
source "$KAFKA_SCRIPT_DIR/lib/install.sh"
source "$KAFKA_SCRIPT_DIR/lib/security.sh"
source "$KAFKA_SCRIPT_DIR/lib/broker.sh"

usage() {
  cat <<USAGE
usage: $0 COMMAND

commands:
  start            install if needed, start the broker (keeps its data), wait until it serves
  stop             controlled shutdown (SIGTERM), SIGKILL after KAFKA_STOP_TIMEOUT seconds
  kill             SIGKILL the broker at once (crash simulation; data is kept)
  restart          stop, then start with the same data
  status           say whether it runs (exit 0) or not (exit 3)
  logs [N]         last N (100) lines of the broker log
  install          fetch the pinned jars from Maven Central into the cache, nothing else
  clean            stop, then delete this port's run dir (data, logs)
  env              print the resolved settings as shell assignments
  acquire PID      (test runners) hold a lease as PID; start a fresh broker if none runs
  release PID      (test runners) drop PID's lease; stop the broker if a test run started it
                   and no other lease is left

environment (defaults):
  KAFKA_VERSION          4 (= $KAFKA_PIN_4) | 3.9 (= $KAFKA_PIN_3) | exact X.Y.Z
  KAFKA_PORT             9092; the controller listens on KAFKA_CONTROLLER_PORT (KAFKA_PORT+1)
  KAFKA_HOST             127.0.0.1
  KAFKA_NUM_PARTITIONS   1 (partitions of auto-created topics)
  KAFKA_HEAP_OPTS        -Xmx512m -Xms128m
  KAFKA_JVM_OPTS         extra JVM flags
  KAFKA_LOG_LEVEL        WARN (root level of the broker log)
  KAFKA_EXTRA_CONFIG     extra server.properties lines
  KAFKA_START_TIMEOUT    90 (seconds)      KAFKA_STOP_TIMEOUT 30 (seconds)
  KAFKA_FRESH            1 = wipe the data dir on start
  KAFKA_FAST_START       1 = C1-only JIT + class-data archive (faster start); 0 = plain JVM
  KAFKA_SECURE           1 = also SASL_SSL (SCRAM-SHA-512, PLAIN), mutual-TLS and expired-cert
                         listeners on KAFKA_SASL_SSL_PORT (+2), KAFKA_MTLS_PORT (+3),
                         KAFKA_EXPIRED_PORT (+4); CA and certificates in <run dir>/tls;
                         user KAFKA_SASL_USER (faultline) / KAFKA_SASL_PASSWORD
  FAULTLINE_CACHE_DIR    \${XDG_CACHE_HOME:-\$HOME/.cache}/faultline (jars in kafka/<version>,
                         brokers in kafka/run/<port>, or KAFKA_RUN_DIR)
USAGE
}

holder_arg() {
  [[ ${1:-} =~ ^[0-9]+$ ]] || die "$2 needs the pid of the test runner that holds the lease"
  echo "$1"
}

main() {
  local cmd=${1:-help}
  shift || true
  case "$cmd" in
    start) with_run_lock start_locked "${KAFKA_FRESH:-0}" manual ;;
    stop) with_run_lock stop_locked TERM ;;
    kill) with_run_lock stop_locked KILL ;;
    restart)
      with_run_lock stop_locked TERM
      with_run_lock start_locked 0 manual
      ;;
    status) status_report ;;
    logs) tail -n "${1:-100}" "$LOG_FILE" ;;
    install)
      install_kafka
      echo "kafka: Kafka $KAFKA_RESOLVED_VERSION installed in $KAFKA_HOME"
      ;;
    clean)
      with_run_lock stop_locked TERM
      rm -rf "$KAFKA_RUN_DIR"
      echo "kafka: removed $KAFKA_RUN_DIR"
      ;;
    env)
      printf 'KAFKA_VERSION=%s\nKAFKA_BOOTSTRAP=%s\nKAFKA_CONTROLLER_PORT=%s\nKAFKA_HOME=%s\nKAFKA_RUN_DIR=%s\n' \
        "$KAFKA_RESOLVED_VERSION" "$KAFKA_BOOTSTRAP" "$KAFKA_CONTROLLER_PORT" "$KAFKA_HOME" "$KAFKA_RUN_DIR"
      if [[ $KAFKA_SECURE == 1 ]]; then
        printf 'KAFKA_SASL_SSL_BOOTSTRAP=%s\nKAFKA_MTLS_BOOTSTRAP=%s\nKAFKA_EXPIRED_BOOTSTRAP=%s\nKAFKA_TLS_DIR=%s\n' \
          "$KAFKA_HOST:$KAFKA_SASL_SSL_PORT" "$KAFKA_HOST:$KAFKA_MTLS_PORT" "$KAFKA_HOST:$KAFKA_EXPIRED_PORT" "$TLS_DIR"
      fi
      ;;
    acquire) with_run_lock acquire_locked "$(holder_arg "${1:-}" acquire)" ;;
    release) with_run_lock release_locked "$(holder_arg "${1:-}" release)" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
