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

    /**
     * A server's TLS material in {@code directory}: the PKCS12 key store {@code <alias>.p12} and the same key and
     * self-signed certificate as PEM files, {@code public.crt} and {@code private.key} (PKCS#8, mode 600, as PostgreSQL
     * and Neo4j want it). The certificate names {@code localhost} and {@code 127.0.0.1}; a client trusts it by taking
     * {@code public.crt} as its root.
     */
    public static ServerTls serverTls(Path directory, String alias) {
        try {
            Files.createDirectories(directory);
            KeyStore store = selfSigned(directory, alias, "SAN=dns:localhost,ip:127.0.0.1");
            Path certificate = directory.resolve("public.crt");
            Files.writeString(
                    certificate, pem("CERTIFICATE", store.getCertificate(alias).getEncoded()));
            Path privateKey = directory.resolve("private.key");
            Files.writeString(
                    privateKey, pem("PRIVATE KEY", store.getKey(alias, PASSWORD).getEncoded()));
            Files.setPosixFilePermissions(
                    privateKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return new ServerTls(directory.resolve(alias + ".p12"), certificate, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server's key store, and its certificate and key as PEM files; see {@link #serverTls}. */
    public record ServerTls(Path keyStore, Path certificate, Path privateKey) {}

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
