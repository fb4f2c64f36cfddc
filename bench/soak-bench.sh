#!/usr/bin/env bash
# The all-in-one under a steady mixed load (chat, streamed chat, embeddings, search) for a long time, its RSS and heap
# after GC every minute (issue 22). Usage: bench/soak-bench.sh [rate=200] [minutes=30] [warmup-minutes=5]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f infra/local/target/sovereign-local.jar ] || ./mvnw -q -o package -DskipTests
./mvnw -q -o -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
java -cp bench/target/classes:$(cat bench/target/classpath.txt) ai.sovereign.bench.soak.SoakBench "${1:-200}" "${2:-30}" "${3:-5}"
