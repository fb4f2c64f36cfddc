package ai.sovereign.bench.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.Manifest;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.SegmentedGcm;
import ai.sovereign.backup.postgres.PostgresComponent;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.run.RestoreOutcome;
import ai.sovereign.backup.run.RestoreScope;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.bench.load.LatencySummary;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * PostgreSQL backup throughput of the backup-service's {@code postgres} component (snapshot, catalog DDL, COPY,
 * SHA-256 row hashes, zstd, optionally AES-256-GCM, file SHA-256) against the same table data read with a bare
 * {@code COPY ... TO STDOUT} whose bytes are discarded (the floor of any COPY-based tool, pg_dump's data phase
 * included), and against {@code pg_dump -Fc} when a pg_dump of the server's major version is installed, all on the
 * same embedded PostgreSQL in the same run. MB/s are of table data: the bytes of COPY text. One unreported warm-up
 * round comes first, so the figures are those of a warm service, not of the JIT compiling AES-GCM.
 */
public final class PostgresBackupBench {

    private PostgresBackupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of(args.length > 2 ? args[2] : "bench/results");
        String command = "java -cp bench/target/classes:$(cat bench/target/classpath.txt) " + PostgresBackupBench.class.getName() + " " + rows + " " + rounds;

        PostgresServer pg = SharedInfrastructure.postgres();
        String url = pg.newDatabase("backupbench");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(PostgresServer.USER);
        fill(ds, rows);
        JsonMapper json = JsonMapper.builder().build();
        SegmentedGcm gcm = new SegmentedGcm(Base64.getDecoder().decode("q83vEjRWeJC6ze8SNFZ4kLrN7xI0VniQus3vEjRWeJA="));
        Path work = Files.createTempDirectory("backup-bench-");

        LatencySummary none = new LatencySummary(0, 0, 0, 0, 0, 0);
        BenchReport report = new BenchReport("postgres-backup", command);
        List<Double> plainRatios = new ArrayList<>();
        List<Double> encryptedRatios = new ArrayList<>();
        long copyBytes = 0;
        // warm-up, not reported: the JIT compiles the COPY, zstd, SHA-256 and AES-GCM paths as in a long-running service
        rawCopy(ds);
        backup(ds, json, work.resolve("warm-plain"), Optional.empty());
        backup(ds, json, work.resolve("warm-enc"), Optional.of(gcm));
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            copyBytes = rawCopy(ds);
            double copySeconds = seconds(t0);
            double plain = backup(ds, json, work.resolve("plain-" + round), Optional.empty());
            double encrypted = backup(ds, json, work.resolve("enc-" + round), Optional.of(gcm));
            plainRatios.add(copySeconds / plain);
            encryptedRatios.add(copySeconds / encrypted);
            report.add(new LoadResult("round " + round + ": bare COPY TO STDOUT, bytes discarded", rows, 0, copySeconds, none))
                    .add(new LoadResult("round " + round + ": postgres component, zstd", rows, 0, plain, none))
                    .add(new LoadResult("round " + round + ": postgres component, zstd + AES-256-GCM", rows, 0, encrypted, none))
                    .note(String.format(Locale.ROOT, "round %d: COPY %.1f MB/s; backup %.1f MB/s (%.0f%% of COPY); encrypted %.1f MB/s (%.0f%%)",
                            round, mb(copyBytes) / copySeconds, mb(copyBytes) / plain, copySeconds / plain * 100, mb(copyBytes) / encrypted,
                            copySeconds / encrypted * 100));
        }
        double[] restore = restore(ds, json, work.resolve("restore"), gcm);
        report.add(new LoadResult("restore of the encrypted backup into a scratch schema (DDL, COPY FROM, indexes, hash check)", rows, 0, restore[0], none))
                .note(String.format(Locale.ROOT, "restore (RTO of the PostgreSQL part): %.2f s for %.1f MB of table data = %.1f MB/s, content hashes %s",
                        restore[0], mb(copyBytes), mb(copyBytes) / restore[0], restore[1] == 1 ? "equal to the backup" : "DIFFERENT"));
        long stored = Files.walk(work.resolve("plain-1")).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        report.note(String.format(Locale.ROOT, "table data: %d rows, %.1f MB of COPY text; stored (zstd level 3): %.1f MB", rows, mb(copyBytes), mb(stored)))
                .note(String.format(Locale.ROOT, "median backup/COPY speed: %.0f%% plain, %.0f%% encrypted", median(plainRatios) * 100,
                        median(encryptedRatios) * 100))
                .note(pgDump(pg, url, work, copyBytes));
        Path markdown = report.write(results);
        System.out.println("report: " + markdown.toAbsolutePath());
        System.out.println(Files.readString(markdown));
        System.exit(0);
    }

    private static void fill(PGSimpleDataSource ds, int rows) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA kb; CREATE TABLE kb.chunks (id BIGINT PRIMARY KEY, source TEXT NOT NULL, tenant TEXT NOT NULL, body TEXT NOT NULL,"
                    + " meta JSONB NOT NULL, created TIMESTAMPTZ NOT NULL)");
            st.execute("INSERT INTO kb.chunks SELECT i, 'src-' || (i / 50), 't' || (i % 7), repeat(md5(i::text) || ' ', 4),"
                    + " jsonb_build_object('page', i % 300, 'lang', 'en'), timestamptz '2026-01-01' + i * interval '1 second'"
                    + " FROM generate_series(1, " + rows + ") i");
            st.execute("VACUUM ANALYZE kb.chunks");
        }
    }

    private static long rawCopy(PGSimpleDataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY kb.chunks TO STDOUT");
            long bytes = 0;
            for (byte[] row; (row = out.readFromCopy()) != null; ) {
                bytes += row.length;
            }
            return bytes;
        }
    }

    private static double backup(PGSimpleDataSource ds, JsonMapper json, Path dir, Optional<SegmentedGcm> encryption) throws Exception {
        PostgresComponent component = new PostgresComponent(ds, List.of("public"), json);
        ArtifactWriter writer = new ArtifactWriter(new FilesystemTarget(dir), "run", encryption, 3);
        long t0 = System.nanoTime();
        ComponentManifest manifest = component.backup(writer);
        double s = seconds(t0);
        if (manifest.counts().get("kb.chunks") == null) {
            throw new IllegalStateException("kb.chunks missing from the backup");
        }
        return s;
    }

    /** Backs up (encrypted) once more, then restores that into a scratch schema and times the restore; [seconds, 1 if equal]. */
    private static double[] restore(PGSimpleDataSource ds, JsonMapper json, Path dir, SegmentedGcm gcm) throws Exception {
        PostgresComponent component = new PostgresComponent(ds, List.of("public"), json);
        FilesystemTarget target = new FilesystemTarget(dir);
        ArtifactWriter writer = new ArtifactWriter(target, "run", Optional.of(gcm), 3);
        ComponentManifest cm = component.backup(writer);
        Manifest manifest = new Manifest(Manifest.FORMAT, "bench", "bench", "", "", "zstd", java.util.Map.of("key_id", gcm.keyId()),
                List.of(cm.component()), java.util.Map.of(cm.component(), cm), writer.files());
        long t0 = System.nanoTime();
        RestoreOutcome outcome = component.restore(new ArtifactReader(target, "run", manifest, Optional.of(gcm)), cm, new RestoreScope.Scratch("bench", false));
        double s = seconds(t0);
        boolean equal = outcome.content().differencesFrom(new ContentSummary(cm.counts(), cm.contentHashes())).isEmpty();
        return new double[] {s, equal ? 1 : 0};
    }

    private static String pgDump(PostgresServer pg, String url, Path work, long copyBytes) {
        String database = url.substring(url.lastIndexOf('/') + 1);
        try {
            Process version = new ProcessBuilder("pg_dump", "--version").redirectErrorStream(true).start();
            String v = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            version.waitFor();
            long t0 = System.nanoTime();
            Process dump = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-p", String.valueOf(pg.port()), "-U", PostgresServer.USER, "-Fc",
                    "-n", "kb", "-f", work.resolve("dump.pgc").toString(), database).redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = dump.waitFor();
            double s = seconds(t0);
            if (exit != 0) {
                return "pg_dump comparison not possible: " + v + " exited " + exit + ": " + output;
            }
            return String.format(Locale.ROOT, "%s -Fc of the same schema: %.2f s, %.1f MB/s of table data", v, s, mb(copyBytes) / s);
        } catch (IOException | InterruptedException e) {
            return "pg_dump comparison not possible: " + e.getMessage();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double mb(long bytes) {
        return bytes / 1_000_000.0;
    }
}
