package ai.sovereign.runtime.fastlane;

import io.micronaut.core.annotation.Nullable;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Requests a service answers in the Netty pipeline in front of Micronaut (the fast lane): which ones it claims, and
 * how it answers one. A service has at most one; when it has one, {@link FastLaneInstaller} puts the lane on every
 * HTTP/1.1 connection. Whatever the route does not claim, or declines once the body is in, Micronaut serves as usual.
 *
 * @param <T> what the route keeps of a claimed request's head (which of its endpoints the request is for)
 */
public interface FastRoute<T> {

    /**
     * A request the route took on by its head.
     *
     * @param target  the route's own note of the request
     * @param uri     the route template: the {@code uri} tag of its {@code http.server.requests} timing
     * @param maxBody the longest body the route reads; a request with a longer one goes to Micronaut
     */
    record Claim<T>(T target, String uri, int maxBody) {}

    /**
     * The claim on the request with {@code head}, or null to leave it to Micronaut. Asked only about requests the
     * codec decoded, over HTTP/1.1, without {@code Expect} or {@code Content-Encoding}, on a connection where Micronaut
     * owes no answer.
     */
    @Nullable
    Claim<T> claim(HttpRequest head);

    /**
     * Answers a claimed request whose whole body has arrived, through {@code exchange}; called on the connection's
     * event loop. Returns the answer under way (or already written), or null to hand the request to Micronaut as it
     * came, which is only possible while nothing has been written.
     */
    @Nullable
    FastAnswer serve(Claim<T> claim, FastExchange exchange);
}
