#!/usr/bin/env bash
# Gateway (gateway → router → simulator) added latency/throughput versus the simulator directly, versus nginx and
# versus the router alone, same run (issue 4). BENCH_JAVA_OPTS=-Dbench.jfr=DIR records JFR profiles of both services;
# the router and gateway run with their outbox on, as deployed (BENCH_JAVA_OPTS=-Dbench.outbox=off for comparison).
# Usage: bench/gateway-bench.sh [rate=500] [seconds=20] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/sbin/nginx ]; then
  (apt-get install -y nginx-light || apt-get install -y nginx) >/dev/null
fi
./mvnw -q -o -pl gateway,router package -DskipTests
./mvnw -q -o -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java ${BENCH_JAVA_OPTS:-} -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.gateway.GatewayBench "${1:-500}" "${2:-20}" "${3:-32}"
