package ai.sovereign.runtime.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Signs the short-lived tokens this service sends to the services it calls: ES256 JWTs (nimbus-jose-jwt) under the
 * service's own key, with {@code iss} = this service, {@code aud} = the service called, {@code sub}, {@code tenant},
 * {@code role}, {@code iat} and {@code exp}; the header's {@code kid} names the key. It signs only for the services
 * in {@code sovereign.security.calls}: ingestion, say, mints tokens for the router and nothing else.
 */
public final class ServiceTokenSigner {

    private final String issuer;
    private final JWSHeader header;
    private final ECDSASigner signer;
    private final Set<String> audiences;
    /** The development signer's: it signs for any service name (tests name their own probes). */
    private final boolean anyAudience;

    private final Clock clock;

    public ServiceTokenSigner(String issuer, ECKey key, List<String> audiences, Clock clock) {
        this(issuer, key, Set.copyOf(audiences), false, clock);
    }

    private ServiceTokenSigner(String issuer, ECKey key, Set<String> audiences, boolean anyAudience, Clock clock) {
        this.issuer = issuer;
        this.header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build();
        try {
            this.signer = new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(
                    "the signing key of " + issuer + " cannot sign ES256: " + e.getMessage(), e);
        }
        this.audiences = audiences;
        this.anyAudience = anyAudience;
        this.clock = clock;
    }

    /**
     * A signer under the built-in development key of {@code issuer} (gateway, ingestion or backup-service) for any
     * audience: for tests and benchmarks against services in dev mode, never for production (outside dev mode the
     * services refuse development keys).
     */
    public static ServiceTokenSigner development(String issuer, Clock clock) {
        SecuritySettings dev = new SecuritySettings(true, null, null, null, null, null, null);
        return new ServiceTokenSigner(issuer, ServiceKeys.signingKey(dev, issuer), Set.of(), true, clock);
    }

    /** A token for {@code audience} naming {@code subject} in {@code tenant} with {@code role}, valid for {@code ttl}. */
    public String issue(String audience, String subject, String tenant, Role role, Duration ttl) {
        if (!anyAudience && !audiences.contains(audience)) {
            throw new IllegalStateException(
                    issuer + " signs no tokens for " + audience + " (sovereign.security.calls: " + audiences + ")");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .claim("tenant", tenant)
                .claim("role", role.wireName())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a token failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** This service's name, the tokens' {@code iss}. */
    public String issuer() {
        return issuer;
    }
}
