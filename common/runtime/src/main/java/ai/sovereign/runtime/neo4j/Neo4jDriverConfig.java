package ai.sovereign.runtime.neo4j;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.Config;

/**
 * The encryption every Neo4j connection of a service uses (the driver, and the start-up check before it), from the
 * Bolt URI and {@code neo4j.trusted-certificate} ({@code NEO4J_TRUSTED_CERTIFICATE}):
 *
 * <ul>
 *   <li>a {@code bolt+s://} or {@code neo4j+s://} URI: TLS, the server's certificate checked against the JVM's trust
 *       store (the driver decides from the scheme, and takes no other setting);
 *   <li>{@code neo4j.trusted-certificate} (a PEM file of CA certificates) with a {@code bolt://} or {@code neo4j://}
 *       URI: TLS, the certificate chaining to one of those and naming the URI's host;
 *   <li>neither: no TLS.
 * </ul>
 */
public final class Neo4jDriverConfig {

    private Neo4jDriverConfig() {}

    /** A builder with the connection time-out and the encryption for {@code uri}; throws for a contradiction. */
    public static Config.ConfigBuilder builder(String uri, String trustedCertificate) {
        Config.ConfigBuilder builder = Config.builder().withConnectionTimeout(3, TimeUnit.SECONDS);
        String scheme = String.valueOf(URI.create(uri).getScheme());
        boolean schemeDecides = scheme.endsWith("+s") || scheme.endsWith("+ssc");
        if (trustedCertificate == null || trustedCertificate.isBlank()) {
            return schemeDecides ? builder : builder.withoutEncryption();
        }
        if (schemeDecides) {
            throw new IllegalArgumentException("neo4j.trusted-certificate needs a bolt:// or neo4j:// URI (a " + scheme
                    + ":// URI trusts the JVM's trust store and takes no certificate), got " + uri);
        }
        Path file = Path.of(trustedCertificate);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("neo4j.trusted-certificate: cannot read " + file.toAbsolutePath());
        }
        return builder.withEncryption()
                .withTrustStrategy(Config.TrustStrategy.trustCustomCertificateSignedBy(file.toFile())
                        .withHostnameVerification());
    }
}
