package ai.sovereign.gateway.proxy;

import ai.sovereign.gateway.auth.KeyContext;
import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.limits.KeyLimiter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * Where an inference request is handled. It arrives on the HTTP server's event loop; when its key is in the lookup
 * cache and the key's month of usage is in memory (the normal case), authentication, limits and forwarding run right
 * there, so the router call is written and its answer relayed on the client connection's own loop with no thread
 * hand-off. Otherwise (first use of a key, an expired cache entry, any refusal to explain and audit) the request
 * moves to the blocking executor once, where PostgreSQL may be asked.
 */
@Singleton
public class HotPath {

    private final RequestAuthenticator authenticator;
    private final KeyLimiter limiter;
    private final ExecutorService blocking;

    public HotPath(
            RequestAuthenticator authenticator,
            KeyLimiter limiter,
            @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.blocking = blocking;
    }

    /** Runs {@code work} for the authenticated caller of {@code request}: here when nothing blocks, else off the loop. */
    public CompletableFuture<MutableHttpResponse<?>> run(
            HttpRequest<?> request, Function<KeyContext, CompletableFuture<MutableHttpResponse<?>>> work) {
        KeyContext cached = authenticator.authenticateCached(request);
        if (cached != null && limiter.admitsWithoutBlocking(cached.key())) {
            return work.apply(cached);
        }
        CompletableFuture<MutableHttpResponse<?>> result = new CompletableFuture<>();
        blocking.execute(() -> {
            try {
                work.apply(authenticator.authenticate(request)).whenComplete((answer, error) -> {
                    if (error == null) {
                        result.complete(answer);
                    } else {
                        result.completeExceptionally(
                                error instanceof CompletionException && error.getCause() != null
                                        ? error.getCause()
                                        : error);
                    }
                });
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
