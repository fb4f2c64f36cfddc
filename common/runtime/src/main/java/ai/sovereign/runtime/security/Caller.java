package ai.sovereign.runtime.security;

import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpStatus;
import java.time.Instant;
import java.util.Arrays;

/**
 * Who is calling, as the verified service token says: the service that signed it ({@code issuer}), the subject (API
 * key id or service), tenant, role, and when the token expires.
 */
public record Caller(String issuer, String subject, String tenant, Role role, Instant expiresAt) {

    /** Throws 403 unless the caller has one of {@code allowed}. */
    public Caller require(Role... allowed) {
        if (Arrays.asList(allowed).contains(role)) {
            return this;
        }
        throw new ApiException(
                HttpStatus.FORBIDDEN,
                "role " + role.wireName() + " may not do this; it needs "
                        + String.join(
                                " or ",
                                Arrays.stream(allowed).map(Role::wireName).toList()),
                "insufficient_role",
                null);
    }
}
