package ai.sovereign.runtime.security;

import ai.sovereign.runtime.json.JsonMapperFactory;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * The short-lived token the gateway gives the services it calls: a JWT signed with HMAC-SHA256 ({@code HS256}) over a
 * secret shared by the platform's services, with claims {@code sub}, {@code tenant}, {@code role}, {@code iat},
 * {@code exp} and {@code iss}. Signatures are compared in constant time; expired tokens are refused.
 */
public final class ServiceTokenCodec {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER =
            B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private final SecretKeySpec key;
    private final Clock clock;
    private final JsonMapper json;

    /** For code outside an application context (tests, tools); the service's codec is built with its mapper. */
    public ServiceTokenCodec(byte[] secret, Clock clock) {
        this(secret, clock, JsonMapperFactory.platformMapper());
    }

    public ServiceTokenCodec(byte[] secret, Clock clock, JsonMapper json) {
        if (secret.length < 32) {
            throw new IllegalArgumentException(
                    "sovereign.security.token-secret must be at least 32 bytes (got " + secret.length + ")");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.clock = clock;
        this.json = json;
    }

    /** Signs a token for {@code subject} in {@code tenant} with {@code role}, valid for {@code ttl}. */
    public String issue(String subject, String tenant, Role role, Duration ttl, String issuer) {
        Instant now = clock.instant();
        Claims claims = new Claims(
                issuer,
                subject,
                tenant,
                role.wireName(),
                now.getEpochSecond(),
                now.plus(ttl).getEpochSecond());
        String payload = B64.encodeToString(json.writeValueAsBytes(claims));
        String signingInput = HEADER + "." + payload;
        return signingInput + "." + B64.encodeToString(sign(signingInput));
    }

    /** Verifies signature and expiry and returns the caller; throws {@link InvalidTokenException} saying why not. */
    public Caller verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("token is not a JWT (expected three dot-separated parts)");
        }
        if (!HEADER.equals(parts[0])) {
            throw new InvalidTokenException("token header must be HS256 JWT");
        }
        byte[] expected = sign(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("token signature is not base64url");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw new InvalidTokenException("token signature does not match");
        }
        Claims claims;
        try {
            claims = json.readValue(B64D.decode(parts[1]), Claims.class);
        } catch (RuntimeException e) {
            throw new InvalidTokenException("token claims are not JSON");
        }
        Long expiry = claims.exp();
        if (expiry == null || clock.instant().minus(CLOCK_SKEW).getEpochSecond() > expiry) {
            throw new InvalidTokenException("token has expired");
        }
        try {
            return new Caller(
                    String.valueOf(claims.sub()),
                    String.valueOf(claims.tenant()),
                    Role.parse(String.valueOf(claims.role())),
                    Instant.ofEpochSecond(expiry));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("token claims are invalid: " + e.getMessage());
        }
    }

    private byte[] sign(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The token's claims, in the order they are written; a claim may be missing from a token that is read. */
    record Claims(
            @Nullable String iss,
            @Nullable String sub,
            @Nullable String tenant,
            @Nullable String role,
            @Nullable Long iat,
            @Nullable Long exp) {}

    /** A token that must not be accepted; the message says why without echoing the token. */
    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message);
        }
    }
}
