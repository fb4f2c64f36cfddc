package ai.sovereign.runtime.neo4j;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code neo4j.*}, for services with a Neo4j.
 *
 * @param uri      {@code neo4j.uri} ({@code NEO4J_URI}): the Bolt URI, e.g. {@code bolt://localhost:7687}
 * @param username {@code neo4j.username}; empty: no authentication
 * @param password {@code neo4j.password}
 * @param trustedCertificate {@code neo4j.trusted-certificate} ({@code NEO4J_TRUSTED_CERTIFICATE}): a PEM file of the
 *     CA certificates the server's must chain to, for TLS with a {@code bolt://} URI; empty: see {@link
 *     Neo4jDriverConfig}
 */
@ConfigurationProperties("neo4j")
@Requires(property = "neo4j.uri")
public record Neo4jSettings(
        String uri,
        @Nullable String username,
        @Nullable String password,
        @Nullable String trustedCertificate) {

    public Neo4jSettings {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(
                    "neo4j.uri must be a Bolt URI such as bolt://localhost:7687 (got an empty value)");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        trustedCertificate = trustedCertificate == null ? "" : trustedCertificate;
    }

    @Override
    public String toString() {
        return "Neo4jSettings[uri=" + uri + ", username=" + username + ", password="
                + (password.isEmpty() ? "none" : "(set)") + ", trustedCertificate=" + trustedCertificate + "]";
    }
}
