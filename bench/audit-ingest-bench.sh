#!/usr/bin/env bash
# Audit ingest versus COPY (AuditIngestBench), same run, on this machine.
# The bench starts the audit-service's application context in its own JVM, so the class path holds the audit-service
# and nothing of the other services the bench module depends on: their beans and Flyway migrations (backup-service,
# ingestion) would start in the same context otherwise.
# Usage: bench/audit-ingest-bench.sh [events=200000] [partitions=3] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${1:-200000}"; PARTITIONS="${2:-3}"; ROUNDS="${3:-3}"
./mvnw -q -o -pl audit-service install -DskipTests
./mvnw -q -o -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="bench/target/classes:$(tr ':' '\n' < bench/target/classpath.txt | grep -v -e '/backup-service' -e '/ingestion' | paste -sd:)"
java -cp "$CP" ai.sovereign.bench.audit.AuditIngestBench "$EVENTS" "$PARTITIONS" bench/results "$ROUNDS"
