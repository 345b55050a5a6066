# shellcheck shell=bash
# Optional secured listeners (KAFKA_SECURE=1), beside the PLAINTEXT one the tests and tools use:
#   SASL_SSL  on KAFKA_SASL_SSL_PORT (port+2): SCRAM-SHA-512 and PLAIN over TLS
#   MTLS      on KAFKA_MTLS_PORT     (port+3): TLS with a client certificate required
#   EXPIRED   on KAFKA_EXPIRED_PORT  (port+4): TLS whose server certificate expired yesterday
# The CA, the certificates and the SCRAM/PLAIN users are made at start-up with openssl, in
# $KAFKA_RUN_DIR/tls (PEM files, which Kafka reads as ssl.keystore.type=PEM): nothing secret is
# kept in the repo and nothing outlives the run dir. One broker serves every case, so a test of
# all of them pays for one JVM start.

readonly TLS_DIR=$KAFKA_RUN_DIR/tls
readonly SECURITY_FILE=$KAFKA_RUN_DIR/security

# Prints the security mode this start wants ("plaintext" or the secured listeners' ports and
# users); a change wipes the data, since SCRAM users are written at storage format time.
security_mode() {
  if [[ $KAFKA_SECURE == 1 ]]; then
    echo "secure $KAFKA_SASL_SSL_PORT $KAFKA_MTLS_PORT $KAFKA_EXPIRED_PORT $KAFKA_SASL_USER"
  else
    echo plaintext
  fi
}

# $1: name, $2: subject CN, $3: days valid (negative: already expired), $4: signing CA name,
# $5: subjectAltName (optional). Writes $1.key (PKCS#8, unencrypted) and $1.pem (cert).
make_cert() {
  local name=$1 cn=$2 days=$3 ca=$4 san=${5:-}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$TLS_DIR/$name.key" -out "$TLS_DIR/$name.csr" \
    -subj "/CN=$cn" >/dev/null 2>&1 || die "openssl could not make a key for $name"
  local ext=$TLS_DIR/$name.ext
  {
    echo 'basicConstraints=CA:FALSE'
    echo 'keyUsage=digitalSignature,keyEncipherment'
    echo 'extendedKeyUsage=serverAuth,clientAuth'
    if [[ -n $san ]]; then echo "subjectAltName=$san"; fi
  } >"$ext"
  # A negative -days makes notAfter lie in the past: the expired certificate of the tests.
  openssl x509 -req -in "$TLS_DIR/$name.csr" -CA "$TLS_DIR/$ca.pem" -CAkey "$TLS_DIR/$ca.key" \
    -CAcreateserial -days "$days" -sha256 -extfile "$ext" -out "$TLS_DIR/$name.pem" >/dev/null 2>&1 ||
    die "openssl could not sign the certificate $name"
  rm -f "$TLS_DIR/$name.csr" "$ext"
}

make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TLS_DIR/$1.key" -out "$TLS_DIR/$1.pem" -days 30 \
    -subj "/CN=$2" -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
    >/dev/null 2>&1 || die "openssl could not make the CA $1"
}

# Kafka's PEM keystore: the private key and the certificate chain in one file.
pem_keystore() { cat "$TLS_DIR/$1.key" "$TLS_DIR/$1.pem" >"$TLS_DIR/$1.keystore.pem"; }

# Fresh material on every start (cheap: a few openssl calls), so nothing can expire between runs.
make_security_material() {
  [[ $KAFKA_SECURE == 1 ]] || return 0
  command -v openssl >/dev/null 2>&1 || die "KAFKA_SECURE=1 needs openssl (scripts/ci/install-system-deps.sh)"
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  local san="IP:$KAFKA_HOST,DNS:localhost"
  make_ca ca 'faultline test CA'
  make_ca other-ca 'some other CA'
  make_cert broker broker 30 ca "$san"
  make_cert broker-expired broker -1 ca "$san"
  make_cert client faultline-worker 30 ca
  make_cert client-expired faultline-worker -1 ca
  make_cert client-other faultline-worker 30 other-ca
  pem_keystore broker
  pem_keystore broker-expired
  printf '%s' "$KAFKA_SASL_PASSWORD" >"$TLS_DIR/sasl-password"
  chmod 600 "$TLS_DIR"/*
}

# The listeners (name://host:port) and their protocol map, secured ones included when asked.
security_listeners() {
  local l=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
  [[ $KAFKA_SECURE == 1 ]] &&
    l+=",SASL_SSL://$KAFKA_HOST:$KAFKA_SASL_SSL_PORT,MTLS://$KAFKA_HOST:$KAFKA_MTLS_PORT,EXPIRED://$KAFKA_HOST:$KAFKA_EXPIRED_PORT"
  echo "$l"
}

security_protocol_map() {
  local m=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
  [[ $KAFKA_SECURE == 1 ]] && m+=,SASL_SSL:SASL_SSL,MTLS:SSL,EXPIRED:SSL
  echo "$m"
}

# server.properties lines for the secured listeners.
security_config() {
  [[ $KAFKA_SECURE == 1 ]] || return 0
  local user=$KAFKA_SASL_USER pass=$KAFKA_SASL_PASSWORD
  cat <<PROPS
# KAFKA_SECURE=1: secured listeners (scripts/kafka/lib/security.sh)
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/broker.keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
ssl.endpoint.identification.algorithm=
listener.name.mtls.ssl.client.auth=required
listener.name.expired.ssl.keystore.type=PEM
listener.name.expired.ssl.keystore.location=$TLS_DIR/broker-expired.keystore.pem
sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.sasl.enabled.mechanisms=SCRAM-SHA-512,PLAIN
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$user="$pass";
PROPS
}

# Extra arguments of `kafka-storage format`: KRaft stores SCRAM credentials in the metadata log,
# so the user must exist from the first record on (4096 iterations, the tool's default). kafkajs
# and the Java client log in with it on 3.9 and 4.x; Debian's kcat (librdkafka 2.0.2) only on 3.x,
# as its SCRAM final message repeats the client nonce, which Kafka 4 refuses (librdkafka #4895).
scram_format_args() {
  [[ $KAFKA_SECURE == 1 ]] || return 0
  printf '%s\n' --add-scram "SCRAM-SHA-512=[name=\"$KAFKA_SASL_USER\",password=\"$KAFKA_SASL_PASSWORD\"]"
}
