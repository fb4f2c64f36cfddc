package ai.sovereign.gateway.auth;

import ai.sovereign.gateway.json.JsonBodies;
import ai.sovereign.gateway.keys.ApiKey;
import io.micronaut.core.annotation.Nullable;
import java.util.Locale;

/**
 * The router priority a request gets: what its {@code X-Priority} header asks for (0-9, or {@code low} 2, {@code
 * normal} 5, {@code high} 8; absent: 5), capped to the key's {@code max_priority}. The gateway always sends the
 * result, so a key cannot jump the router's queue by asking, and tells the client in {@value #APPLIED_HEADER}.
 */
public final class PriorityCap {

    /** The answer's header naming the priority the request was queued with. */
    public static final String APPLIED_HEADER = "X-Sovereign-Priority";

    private PriorityCap() {}

    /** The priority to send for {@code key}'s request with {@code header}; 400 naming the header when malformed. */
    public static String applied(ApiKey key, @Nullable String header) {
        return Integer.toString(Math.min(requested(header), key.limits().priorityCap(key.role())));
    }

    static int requested(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return 5;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "low" -> 2;
            case "normal" -> 5;
            case "high" -> 8;
            default -> {
                if (value.length() == 1 && Character.isDigit(value.charAt(0))) {
                    yield value.charAt(0) - '0';
                }
                throw JsonBodies.invalid(
                        "X-Priority must be 0-9 or low, normal, high (got \""
                                + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "\")",
                        "X-Priority");
            }
        };
    }
}
