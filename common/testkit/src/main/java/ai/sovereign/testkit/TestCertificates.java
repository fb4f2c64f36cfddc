package ai.sovereign.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Self-signed certificates for TLS tests, made by the JDK's own keytool (no test-only crypto library): an EC P-256 key
 * pair in a PKCS12 key store under {@link #PASSWORD}.
 */
public final class TestCertificates {

    public static final char[] PASSWORD = "changeit".toCharArray();

    private TestCertificates() {}

    /**
     * A key store in {@code directory} holding {@code alias}: a fresh key pair and a self-signed certificate with the
     * subject alternative names {@code san} (keytool's form, e.g. {@code SAN=dns:localhost,ip:127.0.0.1}).
     */
    public static KeyStore selfSigned(Path directory, String alias, String san) {
        Path file = directory.resolve(alias + ".p12");
        try {
            Process keytool = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            alias,
                            "-keyalg",
                            "EC",
                            "-groupname",
                            "secp256r1",
                            "-dname",
                            "CN=" + alias,
                            "-ext",
                            san,
                            "-validity",
                            "2",
                            "-keystore",
                            file.toString(),
                            "-storetype",
                            "PKCS12",
                            "-storepass",
                            new String(PASSWORD),
                            "-keypass",
                            new String(PASSWORD))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                store.load(in, PASSWORD);
            }
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
