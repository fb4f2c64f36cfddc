package ai.sovereign.router.api;

import ai.sovereign.router.events.RouterEvents;
import ai.sovereign.runtime.requestid.RequestIdFilter;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The admin check every control-plane endpoint makes, and the audit event every change emits. */
@Singleton
public class AdminAccess {

    private final RouterEvents events;

    public AdminAccess(RouterEvents events) {
        this.events = events;
    }

    public Caller require(HttpRequest<?> request) {
        return ServiceTokenFilter.caller(request).require(Role.ADMIN);
    }

    public void audit(
            HttpRequest<?> request,
            Caller caller,
            String action,
            String resourceType,
            String resourceId,
            Map<String, Object> details) {
        events.audit(caller.subject(), action, resourceType, resourceId, RequestIdFilter.of(request), details);
    }

    /** A path tail as the model name it encodes: {@code org%2Fmodel} and {@code org/model} both give org/model. */
    public static String decode(String segment) {
        return segment.indexOf('%') >= 0
                ? URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)
                : segment;
    }
}
