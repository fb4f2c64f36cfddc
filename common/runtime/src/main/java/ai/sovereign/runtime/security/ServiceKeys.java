package ai.sovereign.runtime.security;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * Where a service's keys come from: its private signing key (a JWK) and the platform's public keys (a JWKS), from
 * configuration, or in dev mode the built-in development keys. A key whose {@code kid} ends in {@value #DEV_SUFFIX} is
 * a development key: its private half is published in this jar, so it is refused outside dev mode.
 */
public final class ServiceKeys {

    /** The {@code kid} suffix of the development keys. */
    public static final String DEV_SUFFIX = ":dev";

    private static final String DEV_KEYS = "dev-service-keys.jwks";

    private ServiceKeys() {}

    /**
     * {@code service}'s private signing key: from {@code sovereign.security.signing-key}, else in dev mode the
     * development key of {@code service}. Its {@code kid} must name the service ({@code <service>:<anything>}).
     */
    public static ECKey signingKey(SecuritySettings settings, String service) {
        JWK jwk;
        if (settings.signingKey().isBlank()) {
            if (!settings.devMode()) {
                throw new IllegalStateException("sovereign.security.signing-key is not set for " + service);
            }
            jwk = developmentKeys().getKeyByKeyId(service + DEV_SUFFIX);
            if (jwk == null) {
                throw new IllegalStateException("there is no development key for " + service
                        + ": it signs no tokens (sovereign.security.calls should be empty)");
            }
        } else {
            try {
                jwk = JWK.parse(read(settings.signingKey(), "sovereign.security.signing-key"));
            } catch (ParseException e) {
                throw new IllegalStateException("sovereign.security.signing-key is not a JWK: " + e.getMessage(), e);
            }
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || !ec.isPrivate()) {
            throw new IllegalStateException("sovereign.security.signing-key must be a private EC P-256 key (ES256)");
        }
        String kid = ec.getKeyID();
        if (kid == null || !kid.startsWith(service + ":")) {
            throw new IllegalStateException("sovereign.security.signing-key's kid must start with '" + service
                    + ":' (got " + kid + "): a service signs only as itself");
        }
        if (kid.endsWith(DEV_SUFFIX) && !settings.devMode()) {
            throw new IllegalStateException("sovereign.security.signing-key is a development key (kid " + kid
                    + "), refused outside dev mode: generate the platform's own keys");
        }
        return ec;
    }

    /**
     * The public keys this service trusts: {@code sovereign.security.trusted-keys} (a JWKS file, read once at start;
     * or an http(s) URL, fetched and cached by the JOSE library), else in dev mode the development keys; with neither,
     * none (every token is refused). A JWKS file that holds private keys is refused: it would hand every service's
     * signing key to each of them.
     */
    public static JWKSource<SecurityContext> trustedKeys(SecuritySettings settings) {
        String spec = settings.trustedKeys();
        if (spec.isBlank()) {
            return new ImmutableJWKSet<>(settings.devMode() ? developmentKeys().toPublicJWKSet() : new JWKSet());
        }
        if (spec.startsWith("https://") || spec.startsWith("http://")) {
            try {
                return JWKSourceBuilder.<SecurityContext>create(new URI(spec).toURL())
                        .retrying(true)
                        .build();
            } catch (URISyntaxException | IOException | IllegalArgumentException e) {
                throw new IllegalStateException("sovereign.security.trusted-keys is not a URL: " + spec, e);
            }
        }
        JWKSet keys;
        try {
            keys = JWKSet.parse(read(spec, "sovereign.security.trusted-keys"));
        } catch (ParseException e) {
            throw new IllegalStateException("sovereign.security.trusted-keys is not a JWKS: " + e.getMessage(), e);
        }
        if (keys.getKeys().stream().anyMatch(JWK::isPrivate)) {
            throw new IllegalStateException("sovereign.security.trusted-keys (" + spec
                    + ") holds private keys: give services only the public JWKS (trusted-keys.jwks)");
        }
        return new ImmutableJWKSet<>(keys);
    }

    /** The built-in development keys, private halves included. Development and tests only. */
    public static JWKSet developmentKeys() {
        try (InputStream in = ServiceKeys.class.getResourceAsStream(DEV_KEYS)) {
            if (in == null) {
                throw new IllegalStateException(DEV_KEYS + " is missing from the class path");
            }
            return JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(DEV_KEYS + " is not a JWKS", e);
        }
    }

    /** A JSON value given inline ({@code {...}}) or the content of the file it names. */
    private static String read(String spec, String property) {
        if (spec.startsWith("{")) {
            return spec;
        }
        try {
            return Files.readString(Path.of(spec), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(property + ": cannot read " + spec + " (" + e + ")", e);
        }
    }
}
