package ai.sovereign.runtime.security;

import java.util.Locale;

/** What a caller may do; carried in the service token. */
public enum Role {
    USER,
    ADMIN,
    AUDITOR,
    SERVICE;

    /** Parses {@code user|admin|auditor|service}, any case. */
    public static Role parse(String value) {
        try {
            return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "role must be one of user, admin, auditor, service (got '" + value + "')");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
