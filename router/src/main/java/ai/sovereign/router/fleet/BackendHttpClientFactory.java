package ai.sovereign.router.fleet;

import ai.sovereign.runtime.http.PooledHttpClient;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.http.netty.channel.EventLoopGroupFactory;
import io.micronaut.http.netty.channel.EventLoopGroupRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP clients calls to inference servers go through: HTTP/1.1 (inference servers speak it, and an h2c upgrade
 * attempt would cost a round trip), pooled keep-alive connections, a short connect timeout
 * ({@link BackendClientSettings}) so a dead server is found quickly and the request retried elsewhere. The data
 * path (forwarded requests) uses a {@link PooledHttpClient} on the HTTP server's own event loops, so a request is
 * forwarded and its answer relayed on the thread that received it; health checks, discovery and recovery tests use
 * the JDK client.
 */
@Factory
public class BackendHttpClientFactory {

    @Singleton
    @Named("backend")
    @Bean(preDestroy = "shutdownNow")
    ExecutorService backendExecutor() {
        // Response bodies are handed over on these threads; virtual threads keep that cheap at any concurrency.
        return Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("backend-", 0).factory());
    }

    @Singleton
    @Bean(preDestroy = "close")
    HttpClient backendHttpClient(BackendClientSettings settings, @Named("backend") ExecutorService executor) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Singleton
    @Bean(preDestroy = "close")
    PooledHttpClient forwardingHttpClient(
            BackendClientSettings settings, EventLoopGroupRegistry eventLoops, EventLoopGroupFactory transport) {
        return PooledHttpClient.onServerEventLoops(
                eventLoops, transport, settings.connectTimeout(), settings.maxConnectionsPerServer());
    }
}
