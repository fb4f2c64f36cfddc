package ai.sovereign.local;

import ai.sovereign.runtime.security.PlatformKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar infra/local/target/sovereign-local.jar}: the platform on one machine, on its embedded default.
 * Runs until SIGTERM or Ctrl-C, then stops everything cleanly. Exit code 2 when the data directory is in use by
 * another instance, 1 when start-up fails otherwise.
 *
 * <p>{@code java -jar sovereign-local.jar keys <dir>} writes the service key pairs of a platform into {@code <dir>}
 * (for compose and Kubernetes, see docs/security.md) and exits: the keys already there are kept.
 */
public final class SovereignLocal {

    private SovereignLocal() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && "keys".equals(args[0])) {
            writeKeys(args);
            return;
        }
        long started = System.nanoTime();
        System.setProperty("sovereign.service", "sovereign-local");
        LocalSettings settings;
        AllInOne allInOne;
        try {
            settings = LocalSettings.fromEnvironment(System.getenv());
            allInOne = AllInOne.start(settings);
        } catch (DataDirectoryLock.AlreadyRunningException e) {
            System.err.println("sovereign-local: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("sovereign-local: start-up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            allInOne.close();
                            stopped.countDown();
                        },
                        "sovereign-local-shutdown"));
        StringBuilder banner = new StringBuilder(String.format(
                """

                Sovereign AI Platform (all-in-one) ready in %.1f s; data in %s
                  PostgreSQL                 jdbc:postgresql://127.0.0.1:%d/%s (user postgres)
                  Kafka                      %s
                  Neo4j                      %s
                """,
                (System.nanoTime() - started) / 1e9,
                settings.dataDir(),
                allInOne.platform().postgres().port(),
                LocalSettings.DATABASE,
                allInOne.platform().kafka().bootstrapServers(),
                allInOne.platform().neo4j().boltUri()));
        allInOne.serviceUrls().forEach((name, url) -> banner.append(String.format("  %-26s %s%n", name, url)));
        allInOne.inferenceUrls()
                .forEach((host, url) -> banner.append(String.format(
                        "  %-26s %s (simulated Ollama: %s)%n",
                        "inference " + host, url, String.join(", ", GpuHost.MODELS))));
        Path keyFile = PlatformServices.bootstrapKeyFile(settings);
        if (Files.isRegularFile(keyFile)) {
            banner.append(String.format(
                    "  %-26s %s (kept in %s; create your own admin key, then revoke it)%n",
                    "bootstrap admin key", Files.readString(keyFile).strip(), keyFile));
        }
        banner.append("Stop with Ctrl-C or SIGTERM.\n");
        System.out.println(banner);
        stopped.await();
    }

    private static void writeKeys(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -jar sovereign-local.jar keys <directory>");
            System.exit(64);
        }
        PlatformKeys keys = PlatformKeys.loadOrGenerate(Path.of(args[1]));
        for (String service : PlatformKeys.SIGNING_SERVICES) {
            System.out.printf(
                    "%-16s private key %s (give it to %s only: SOVEREIGN_SECURITY_SIGNING_KEY)%n",
                    service, keys.signingKey(service), service);
        }
        System.out.printf(
                "%-16s public keys %s (give it to every service: SOVEREIGN_SECURITY_TRUSTED_KEYS)%n",
                "all", keys.trustedKeys());
    }
}
