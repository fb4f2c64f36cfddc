package ai.sovereign.router.api;

import ai.sovereign.router.events.RouterEvents;
import ai.sovereign.runtime.errors.ApiException;
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

    /** The most characters an operator's reason keeps. */
    static final int MAX_REASON = 500;

    /**
     * The operator's reason for an action, from the {@code reason} query parameter ({@code "no reason given"} when
     * absent); 400 when it is longer than {@link #MAX_REASON} characters or holds control characters.
     */
    public static String reason(HttpRequest<?> request) {
        String reason = request.getParameters().get("reason");
        return checkedReason(reason);
    }

    /** {@link #reason(HttpRequest)}'s rules for a reason given some other way (a JSON body). */
    public static String checkedReason(@io.micronaut.core.annotation.Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            return "no reason given";
        }
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest(
                    "reason: at most " + MAX_REASON + " characters (got " + reason.length() + ")", "reason");
        }
        if (reason.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("reason: no control characters", "reason");
        }
        return reason.strip();
    }

    /** A path tail as the model name it encodes: {@code org%2Fmodel} and {@code org/model} both give org/model. */
    public static String decode(String segment) {
        return segment.indexOf('%') >= 0
                ? URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8)
                : segment;
    }
}
