package ai.sovereign.bench.backup;

import ai.sovereign.backup.testsupport.BackupKey;
import ai.sovereign.backup.testsupport.BackupTiming;
import ai.sovereign.backup.testsupport.ComponentBackup;
import ai.sovereign.backup.testsupport.RestoreTiming;
import ai.sovereign.backup.testsupport.VectorEndpoint;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.ingestion.testsupport.ChunkVector;
import ai.sovereign.ingestion.testsupport.EmbeddedVectorIndex;
import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * RTO of a knowledge store: the three stores the ingestion service writes, filled with generated content shaped like
 * its own (per source: a {@code ingestion.sources} row — the real Flyway migrations —, a {@code Source} node, chunk
 * nodes with their text, {@code HAS_CHUNK}/{@code NEXT}/{@code MENTIONS}/{@code RELATED} relationships, entities, and
 * one 384-dimension vector per chunk in the ingestion's Lucene HNSW store), backed up with the backup-service's
 * components (zstd + AES-256-GCM to a filesystem target), wiped, and restored into the original stores, each component
 * timed (decrypt, decompress, write, rebuild indexes, and the content-hash comparison with the backup the service does
 * after every restore). Total RTO = the sum (the service restores components one after another).
 *
 * <p>Stores: PostgreSQL 17 from the test kit; Neo4j embedded (the test kit's server, with a 512 MiB page cache instead
 * of the test's 64 MiB, as a production instance would have); the vectors go through ingestion's own
 * {@code VectorTransfer} (the code behind {@code GET /api/v1/admin/vectors/export} and {@code POST .../import?mode=replace})
 * on a {@code LuceneVectorStore}, called in-process instead of over HTTP. Both services are reached through their test
 * support ({@link ComponentBackup}, {@link EmbeddedVectorIndex}): the same production classes, no service internals here.
 */
public final class KnowledgeStoreRtoBench {

    static final int DIMENSIONS = 384;
    static final int CHUNKS_PER_SOURCE = 20;
    static final int ENTITIES_PER_TENANT = 2_000;
    static final int TENANTS = 5;
    /** Estimate of on-disk bytes (PostgreSQL + Neo4j store + Lucene index) per chunk, from a 27 MB trial; a 150 MB request reached 122 MB (5.4 KB per chunk). */
    static final int DISK_BYTES_PER_CHUNK = 6_600;

    static final String MODEL = "all-MiniLM-L6-v2";
    private static final String[] WORDS =
            ("retrieval augmented generation sovereign platform tenant vector graph entity chunk source document "
                            + "operator backup restore cluster inference model latency throughput gateway router audit policy encryption key rotation "
                            + "schema index replica snapshot manifest checksum retention schedule recovery objective region storage bucket kernel "
                            + "driver memory accelerator token stream batch queue consumer producer partition offset commit transaction isolation")
                    .split(" ");

    private KnowledgeStoreRtoBench() {}

    public static void main(String[] args) throws Exception {
        int megabytes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path results = Path.of(args.length > 1 ? args[1] : "bench/results");
        String command = "bench/backup-bench.sh (java -cp bench/target/classes:$(cat bench/target/classpath.txt) "
                + KnowledgeStoreRtoBench.class.getName() + " " + megabytes + ")";
        int sources = Math.max(1, (int) ((long) megabytes * 1_000_000 / DISK_BYTES_PER_CHUNK / CHUNKS_PER_SOURCE));
        Path work = Files.createTempDirectory("rto-bench-");

        PostgresServer postgres = SharedInfrastructure.postgres();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(postgres.newDatabase("rto"));
        ds.setUser(PostgresServer.USER);
        Flyway.configure()
                .dataSource(ds)
                .schemas("ingestion")
                .locations("filesystem:ingestion/src/main/resources/db/migration")
                .load()
                .migrate();

        Path neo4jHome = work.resolve("neo4j");
        int bolt = FreePorts.orNext(0);
        DatabaseManagementService neo4j = new DatabaseManagementServiceBuilder(neo4jHome)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", bolt))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 512L * 1024 * 1024)
                .build();
        neo4j.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + bolt, AuthTokens.none());

        EmbeddedVectorIndex vectors = EmbeddedVectorIndex.open(work.resolve("ingestion-data"), MODEL, DIMENSIONS);
        Path luceneDir = vectors.indexDirectory();

        BenchReport report = new BenchReport("knowledge-store-rto", command);
        long t0 = System.nanoTime();
        generate(ds, driver, vectors, sources);
        double generateSeconds = seconds(t0);
        long pgBytes = postgresBytes(ds);
        long neo4jBytes = directorySize(neo4jHome.resolve("data"));
        long luceneBytes = directorySize(luceneDir);
        long total = pgBytes + neo4jBytes + luceneBytes;
        report.note(String.format(
                Locale.ROOT,
                "generated in %.0f s: %d sources, %d chunks (%d vectors of %d dimensions), %d entities",
                generateSeconds,
                sources,
                (long) sources * CHUNKS_PER_SOURCE,
                (long) sources * CHUNKS_PER_SOURCE,
                DIMENSIONS,
                (long) TENANTS * ENTITIES_PER_TENANT));
        report.note(String.format(
                Locale.ROOT,
                "store size on disk: %.0f MB = PostgreSQL ingestion schema %.1f MB + Neo4j store %.0f MB + Lucene vector index %.0f MB",
                mb(total),
                mb(pgBytes),
                mb(neo4jBytes),
                mb(luceneBytes)));

        BackupKey key = BackupKey.of(Base64.getDecoder().decode("q83vEjRWeJC6ze8SNFZ4kLrN7xI0VniQus3vEjRWeJA="));
        ComponentBackup backup = ComponentBackup.intoFolder(work.resolve("backups"), 3, Optional.of(key))
                .withPostgres(ds, List.of("public"))
                .withNeo4j(driver, 1000)
                .withVectors(endpoint(vectors));
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        double backupTotal = 0;
        for (String component : backup.components()) {
            BackupTiming timing = backup.backup(component);
            double s = timing.took().toNanos() / 1e9;
            counts.put(component, timing.counts());
            backupTotal += s;
            report.note(String.format(Locale.ROOT, "backup %s (zstd + AES-256-GCM): %.1f s", component, s));
            System.out.printf(Locale.ROOT, "backup %s: %.1f s%n", component, s);
        }

        // the disaster: every store empty
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA ingestion CASCADE");
        }
        try (Session session = driver.session()) {
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
                    .consume();
        }
        vectors.wipe();

        double restoreTotal = 0;
        boolean allEqual = true;
        for (String component : backup.components()) {
            RestoreTiming timing = backup.restoreIntoOriginal(component);
            double s = timing.took().toNanos() / 1e9;
            restoreTotal += s;
            boolean equal = timing.contentEqual();
            allEqual &= equal;
            report.note(String.format(
                    Locale.ROOT,
                    "**restore %s** into the emptied store, content check included: **%.1f s**, content %s",
                    component,
                    s,
                    equal ? "equal to the backup" : "DIFFERENT"));
            System.out.printf(
                    Locale.ROOT, "restore %s: %.1f s, content %s%n", component, s, equal ? "equal" : "DIFFERENT");
        }
        long stored = backup.storedBytes();
        report.note(String.format(
                        Locale.ROOT,
                        "backup: %.0f s, stored %.0f MB (zstd 3 + AES-256-GCM); counts %s",
                        backupTotal,
                        mb(stored),
                        counts(counts)))
                .note(String.format(
                        Locale.ROOT,
                        "**RTO** (restore into empty stores, every component, content hashes compared): **%.0f s** for %.0f MB on disk "
                                + "(%.1f MB/s); content after restore %s",
                        restoreTotal,
                        mb(total),
                        mb(total) / restoreTotal,
                        allEqual ? "equal to the backup in every component" : "DIFFERENT"));
        Path markdown = report.write(results);
        System.out.println("report: " + markdown.toAbsolutePath());
        System.out.println(Files.readString(markdown));
        driver.close();
        neo4j.shutdown();
        vectors.close();
        System.exit(allEqual ? 0 : 1);
    }

    private static String counts(Map<String, Map<String, Long>> byComponent) {
        Map<String, Object> counts = new LinkedHashMap<>();
        byComponent.forEach((name, componentCounts) -> componentCounts.forEach((k, v) -> {
            if (!k.startsWith("ingestion.flyway")) {
                counts.put(k, v);
            }
        }));
        return counts.toString();
    }

    /** The ingestion's Lucene store and its transfer code, as the backup's vector store. */
    private static VectorEndpoint endpoint(EmbeddedVectorIndex vectors) {
        return new VectorEndpoint() {
            @Override
            public InputStream export() {
                return vectors.export();
            }

            @Override
            public long replaceAll(InputStream ndjson) {
                return vectors.replaceAll(ndjson);
            }

            @Override
            public String describe() {
                return "ingestion VectorTransfer on LuceneVectorStore (in-process)";
            }
        };
    }

    private static void generate(PGSimpleDataSource ds, Driver driver, EmbeddedVectorIndex vectors, int sources)
            throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        try (Session session = driver.session()) {
            session.run("CREATE INDEX chunk_id IF NOT EXISTS FOR (c:Chunk) ON (c.id)")
                    .consume();
            session.run("CREATE INDEX entity_id IF NOT EXISTS FOR (e:Entity) ON (e.id)")
                    .consume();
            session.run("CREATE INDEX source_id IF NOT EXISTS FOR (s:Source) ON (s.id)")
                    .consume();
            for (int t = 0; t < TENANTS; t++) {
                List<Map<String, Object>> entities = new ArrayList<>();
                for (int e = 0; e < ENTITIES_PER_TENANT; e++) {
                    entities.add(Map.of(
                            "id",
                            "t" + t + "-e" + e,
                            "tenant",
                            "t" + t,
                            "name",
                            WORDS[e % WORDS.length] + " " + e,
                            "kind",
                            e % 3 == 0 ? "org" : "concept",
                            "key",
                            WORDS[e % WORDS.length] + e));
                }
                session.run(
                                "UNWIND $entities AS e CREATE (n:Entity {id: e.id, tenant: e.tenant, name: e.name, kind: e.kind, key: e.key})",
                                Values.parameters("entities", entities))
                        .consume();
                session.run(
                                "UNWIND range(0, $n - 2) AS i MATCH (a:Entity {id: $t + '-e' + i}) MATCH (b:Entity {id: $t + '-e' + (i + 1)}) "
                                        + "CREATE (a)-[:RELATED {type: 'co_occurs'}]->(b)",
                                Values.parameters("n", ENTITIES_PER_TENANT, "t", "t" + t))
                        .consume();
            }
        }
        int batchSources = 50;
        try (Connection c = ds.getConnection();
                Session session = driver.session()) {
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO ingestion.sources (id, tenant, name, content_type, content_hash, size_bytes, "
                            + "status, chunk_count, entity_count, storage_path) VALUES (?, ?, ?, 'text/plain', ?, ?, 'ready', ?, ?, ?)");
            for (int s0 = 0; s0 < sources; s0 += batchSources) {
                List<Map<String, Object>> sourceRows = new ArrayList<>();
                List<ChunkVector> records = new ArrayList<>();
                for (int s = s0; s < Math.min(sources, s0 + batchSources); s++) {
                    String tenant = "t" + (s % TENANTS);
                    UUID id = new UUID(42, s);
                    List<Map<String, Object>> chunks = new ArrayList<>();
                    long size = 0;
                    for (int p = 0; p < CHUNKS_PER_SOURCE; p++) {
                        String text = text(random, 150);
                        size += text.length();
                        String chunkId = id + ":" + p;
                        List<String> mentions = List.of(
                                tenant + "-e" + random.nextInt(ENTITIES_PER_TENANT),
                                tenant + "-e" + random.nextInt(ENTITIES_PER_TENANT),
                                tenant + "-e" + random.nextInt(ENTITIES_PER_TENANT));
                        chunks.add(Map.of(
                                "id",
                                chunkId,
                                "position",
                                p,
                                "text",
                                text,
                                "tokens",
                                text.length() / 4,
                                "mentions",
                                mentions));
                        records.add(new ChunkVector(chunkId, tenant, id.toString(), p, vector(random)));
                    }
                    sourceRows.add(Map.of(
                            "id", id.toString(), "tenant", tenant, "name", "doc-" + s + ".pdf", "chunks", chunks));
                    insert.setObject(1, id);
                    insert.setString(2, tenant);
                    insert.setString(3, "doc-" + s + ".pdf");
                    insert.setString(
                            4,
                            Long.toHexString(random.nextLong())
                                    + Long.toHexString(random.nextLong())
                                    + Long.toHexString(random.nextLong()));
                    insert.setLong(5, size);
                    insert.setInt(6, CHUNKS_PER_SOURCE);
                    insert.setInt(7, 3 * CHUNKS_PER_SOURCE);
                    insert.setString(8, "sources/" + tenant + "/" + id);
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
                session.executeWrite(tx -> {
                    tx.run(
                                    "UNWIND $sources AS src CREATE (s:Source {id: src.id, tenant: src.tenant, name: src.name}) "
                                            + "WITH s, src UNWIND src.chunks AS c "
                                            + "CREATE (ch:Chunk {id: c.id, tenant: src.tenant, sourceId: src.id, position: c.position, text: c.text, tokens: c.tokens}) "
                                            + "CREATE (s)-[:HAS_CHUNK]->(ch) "
                                            + "WITH ch, c UNWIND c.mentions AS m MATCH (e:Entity {id: m}) CREATE (ch)-[:MENTIONS]->(e)",
                                    Values.parameters("sources", sourceRows))
                            .consume();
                    tx.run(
                                    "UNWIND $sources AS src UNWIND range(0, size(src.chunks) - 2) AS i "
                                            + "MATCH (a:Chunk {id: src.id + ':' + i}) MATCH (b:Chunk {id: src.id + ':' + (i + 1)}) CREATE (a)-[:NEXT]->(b)",
                                    Values.parameters("sources", sourceRows))
                            .consume();
                    return null;
                });
                vectors.upsert(records);
                if ((s0 / batchSources) % 20 == 0) {
                    System.out.printf(Locale.ROOT, "generated %d/%d sources%n", s0 + batchSources, sources);
                }
            }
        }
    }

    private static String text(SplittableRandom random, int words) {
        StringBuilder b = new StringBuilder(words * 8);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                b.append(i % 17 == 0 ? ". " : " ");
            }
            b.append(WORDS[random.nextInt(WORDS.length)]);
            if (random.nextInt(9) == 0) {
                b.append(random.nextInt(10_000));
            }
        }
        return b.append('.').toString();
    }

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[DIMENSIONS];
        double norm = 0;
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < DIMENSIONS; i++) {
            v[i] *= scale;
        }
        return v;
    }

    private static long postgresBytes(PGSimpleDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery(
                        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                + "WHERE n.nspname = 'ingestion' AND c.relkind IN ('r', 'p', 'm')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1_000_000.0;
    }
}
