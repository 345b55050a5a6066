# shellcheck shell=bash disable=SC2034 # the globals are read by the files that source this one
# Resolves every setting of scripts/kafka from the environment, once, into read-only globals.
# Sourced by kafka.sh; callers configure it only through these variables.

# The pinned releases. "4" is the default line; "3.9" is kept for compatibility runs.
# 4.4.0 is listed on Maven Central but its kafka-tools-api artifact is not published (2026-11-22),
# so 4.3.1 is the newest 4.x that resolves.
readonly KAFKA_PIN_4=4.3.1
readonly KAFKA_PIN_3=3.9.2

die() {
  echo "kafka: $*" >&2
  exit 1
}

resolve_version() {
  case "$1" in
    '' | 4 | 4.x | 4.3) echo "$KAFKA_PIN_4" ;;
    3 | 3.x | 3.9) echo "$KAFKA_PIN_3" ;;
    [0-9]*.[0-9]*.[0-9]*)
      [[ $1 =~ ^(3\.([3-9]|[1-9][0-9])|([4-9]|[1-9][0-9])\.[0-9]+)\.[0-9]+$ ]] ||
        die "KAFKA_VERSION=$1: only KRaft-capable releases (3.3.0 and later) are supported"
      echo "$1"
      ;;
    *) die "KAFKA_VERSION=$1: use 4 (=$KAFKA_PIN_4), 3.9 (=$KAFKA_PIN_3) or an exact X.Y.Z" ;;
  esac
}

is_port() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 > 0 && 10#$1 < 65536)); }

KAFKA_RESOLVED_VERSION=$(resolve_version "${KAFKA_VERSION:-}")
readonly KAFKA_RESOLVED_VERSION
readonly KAFKA_MAJOR=${KAFKA_RESOLVED_VERSION%%.*}

readonly KAFKA_HOST=${KAFKA_HOST:-127.0.0.1}
readonly KAFKA_PORT=${KAFKA_PORT:-9092}
is_port "$KAFKA_PORT" || die "KAFKA_PORT=$KAFKA_PORT is not a TCP port"
readonly KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
is_port "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT is not a TCP port"
[[ $KAFKA_CONTROLLER_PORT != "$KAFKA_PORT" ]] || die "KAFKA_CONTROLLER_PORT must differ from KAFKA_PORT"

readonly KAFKA_NUM_PARTITIONS=${KAFKA_NUM_PARTITIONS:-1}
[[ $KAFKA_NUM_PARTITIONS =~ ^[1-9][0-9]*$ ]] || die "KAFKA_NUM_PARTITIONS=$KAFKA_NUM_PARTITIONS is not a positive integer"
# The machines have 2 cores and memory shared by several engineers: a test broker needs little.
readonly KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}
readonly KAFKA_JVM_OPTS=${KAFKA_JVM_OPTS:-}
readonly KAFKA_LOG_LEVEL=${KAFKA_LOG_LEVEL:-WARN}
readonly KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
readonly KAFKA_STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
[[ $KAFKA_START_TIMEOUT =~ ^[0-9]+$ && $KAFKA_STOP_TIMEOUT =~ ^[0-9]+$ ]] ||
  die "KAFKA_START_TIMEOUT and KAFKA_STOP_TIMEOUT are whole seconds"
# Extra server.properties lines (newline separated) for tests that need e.g. tiny segments.
readonly KAFKA_EXTRA_CONFIG=${KAFKA_EXTRA_CONFIG:-}

# Outside the repo: the jars are ~45 MB and shared by every checkout on the machine.
readonly FAULTLINE_CACHE_DIR=${FAULTLINE_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/faultline}
readonly KAFKA_CACHE_DIR=$FAULTLINE_CACHE_DIR/kafka
readonly KAFKA_HOME=$KAFKA_CACHE_DIR/$KAFKA_RESOLVED_VERSION
# One run dir per client port, so independent brokers (another port, another version) coexist.
readonly KAFKA_RUN_DIR=${KAFKA_RUN_DIR:-$KAFKA_CACHE_DIR/run/$KAFKA_PORT}
readonly KAFKA_BOOTSTRAP=$KAFKA_HOST:$KAFKA_PORT

# KAFKA_SECURE=1 adds SASL_SSL, mutual-TLS and expired-certificate listeners (lib/security.sh).
readonly KAFKA_SECURE=${KAFKA_SECURE:-0}
[[ $KAFKA_SECURE == 0 || $KAFKA_SECURE == 1 ]] || die "KAFKA_SECURE=$KAFKA_SECURE: use 0 or 1"
readonly KAFKA_SASL_SSL_PORT=${KAFKA_SASL_SSL_PORT:-$((KAFKA_PORT + 2))}
readonly KAFKA_MTLS_PORT=${KAFKA_MTLS_PORT:-$((KAFKA_PORT + 3))}
readonly KAFKA_EXPIRED_PORT=${KAFKA_EXPIRED_PORT:-$((KAFKA_PORT + 4))}
for _p in "$KAFKA_SASL_SSL_PORT" "$KAFKA_MTLS_PORT" "$KAFKA_EXPIRED_PORT"; do
  is_port "$_p" || die "secured listener port $_p is not a TCP port"
done
unset _p
# A test broker's user: not a secret (the broker listens on 127.0.0.1 and lives in a temp run dir).
readonly KAFKA_SASL_USER=${KAFKA_SASL_USER:-faultline}
readonly KAFKA_SASL_PASSWORD=${KAFKA_SASL_PASSWORD:-faultline-test-secret}
[[ $KAFKA_SASL_USER =~ ^[A-Za-z0-9._-]+$ && $KAFKA_SASL_PASSWORD =~ ^[A-Za-z0-9._-]+$ ]] ||
  die "KAFKA_SASL_USER and KAFKA_SASL_PASSWORD: letters, digits, . _ - only (they go into JAAS and --add-scram)"
