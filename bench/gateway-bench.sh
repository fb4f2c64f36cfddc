#!/usr/bin/env bash
# Gateway added latency/throughput versus the simulator directly and versus nginx, same run (issue 4).
# Usage: bench/gateway-bench.sh [rate=500] [seconds=20] [concurrency=32]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! [ -x /usr/sbin/nginx ]; then
  (apt-get install -y nginx-light || apt-get install -y nginx) >/dev/null
fi
./mvnw -q -o -pl gateway package -DskipTests
./mvnw -q -o -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.gateway.GatewayBench "${1:-500}" "${2:-20}" "${3:-32}"
