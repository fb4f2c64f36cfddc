package ai.sovereign.runtime.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the service tokens sent to this service (nimbus-jose-jwt): an ES256 signature by a key of the platform's
 * JWKS, a {@code kid} that belongs to the token's issuer ({@code <iss>:…}), {@code aud} = this service, {@code exp}
 * not passed (5 s of clock skew), and a role the issuer may present here ({@code sovereign.security.callers}). Any
 * other algorithm ({@code none}, {@code HS256}, …), an unknown key, a development key outside dev mode or a token of
 * more than {@value #MAX_TOKEN_CHARS} characters is refused with an {@link InvalidTokenException} saying why.
 *
 * <p>Tokens verified already are remembered until they expire (at most {@value #REMEMBERED} of them): a caller reuses
 * one token for half its lifetime, so the signature is checked once per token rather than once per request.
 */
public final class ServiceTokenVerifier {

    static final int MAX_TOKEN_CHARS = 4096;
    /** {@code sovereign.security.max-token-lifetime} unless configured. */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(1);

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);
    private static final int REMEMBERED = 10_000;
    private static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "aud", "sub", "exp", "iat", "tenant", "role");

    private final String audience;
    private final Map<String, Set<Role>> callers;
    private final boolean devMode;
    private final Duration maxLifetime;
    private final Clock clock;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ConcurrentHashMap<String, Caller> verified = new ConcurrentHashMap<>();

    /**
     * @param audience this service's name: the {@code aud} a token must carry
     * @param keys     the public keys of the services that may call this one
     * @param callers  the roles each issuer may present
     * @param devMode  whether development keys are accepted
     */
    public ServiceTokenVerifier(
            String audience,
            JWKSource<SecurityContext> keys,
            Map<String, Set<Role>> callers,
            boolean devMode,
            Clock clock) {
        this(audience, keys, callers, devMode, DEFAULT_MAX_LIFETIME, clock);
    }

    /**
     * @param maxLifetime the longest a token may live ({@code exp} − {@code iat}, and {@code exp} − now): a key that
     *                    leaks or a signer that is taken over cannot mint tokens that outlive the keys' rotation
     */
    public ServiceTokenVerifier(
            String audience,
            JWKSource<SecurityContext> keys,
            Map<String, Set<Role>> callers,
            boolean devMode,
            Duration maxLifetime,
            Clock clock) {
        this.audience = audience;
        this.maxLifetime = maxLifetime;
        this.callers = Map.copyOf(callers);
        this.devMode = devMode;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(audience, null, REQUIRED_CLAIMS);
        claims.setMaxClockSkew(5);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The caller a valid token names; throws {@link InvalidTokenException} saying why a token is not valid. */
    public Caller verify(String token) {
        Caller known = verified.get(token);
        if (known != null && clock.instant().isBefore(known.expiresAt())) {
            return known;
        }
        verified.remove(token);
        Caller caller = check(token);
        if (verified.size() >= REMEMBERED) {
            verified.clear();
        }
        verified.put(token, caller);
        return caller;
    }

    private Caller check(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new InvalidTokenException("token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("token is not a signed JWT (" + printable(e.getMessage()) + ")");
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.ES256.equals(algorithm)) {
            throw new InvalidTokenException(
                    "token must be signed with ES256, not " + printable(String.valueOf(algorithm)));
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) {
            throw new InvalidTokenException("token names no key (kid)");
        }
        if (kid.endsWith(ServiceKeys.DEV_SUFFIX) && !devMode) {
            throw new InvalidTokenException("token is signed with a development key, refused outside dev mode");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(jwt, null);
        } catch (BadJWTException e) {
            throw new InvalidTokenException("token refused: " + printable(e.getMessage()));
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("token is not signed by a trusted key (kid " + printable(kid) + ")");
        } catch (JOSEException e) {
            throw new InvalidTokenException("token could not be verified: " + printable(e.getMessage()));
        }
        String issuer = claims.getIssuer();
        if (!kid.startsWith(issuer + ":")) {
            throw new InvalidTokenException(
                    "token issuer " + printable(issuer) + " does not own key " + printable(kid));
        }
        Set<Role> allowed = callers.get(issuer);
        if (allowed == null) {
            throw new InvalidTokenException(printable(issuer) + " may not call " + audience);
        }
        Role role;
        String tenant;
        try {
            role = Role.parse(claims.getStringClaim("role"));
            tenant = claims.getStringClaim("tenant");
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidTokenException("token claims are invalid: " + printable(e.getMessage()));
        }
        if (!allowed.contains(role)) {
            throw new InvalidTokenException(printable(issuer) + " may not call " + audience + " as " + role.wireName());
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        Duration longest = maxLifetime.plus(CLOCK_SKEW);
        if (Duration.between(claims.getIssueTime().toInstant(), expiresAt).compareTo(longest) > 0
                || Duration.between(clock.instant(), expiresAt).compareTo(longest) > 0) {
            throw new InvalidTokenException(
                    "token lives longer than " + maxLifetime + " (sovereign.security.max-token-lifetime)");
        }
        return new Caller(issuer, claims.getSubject(), tenant, role, expiresAt);
    }

    /** A value from a token, cut short and stripped of control characters, for an error message. */
    private static String printable(String value) {
        if (value == null) {
            return "none";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
