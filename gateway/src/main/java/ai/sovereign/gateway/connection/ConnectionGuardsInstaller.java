package ai.sovereign.gateway.connection;

import ai.sovereign.gateway.auth.RequestAuthenticator;
import ai.sovereign.gateway.metrics.GatewayMetrics;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Puts the gateway's connection guards behind the HTTP/1.1 codec of every server connection: {@link
 * AuthenticateBeforeBody} first, then the {@link SlowClientGuard} (idle clients and, with {@code
 * gateway.min-body-rate} bytes a second, checked after {@code gateway.min-body-rate-grace}, slow senders).
 */
@Singleton
public class ConnectionGuardsInstaller implements BeanCreatedEventListener<ChannelPipelineCustomizer> {

    /** The slow-client guard's name in the pipeline. */
    public static final String SLOW_CLIENTS = "gateway-slow-client-guard";
    /** The early authentication's name in the pipeline. */
    public static final String AUTHENTICATION = "gateway-authenticate-before-body";

    // looked up at the first connection: they depend on most of the service, not built yet when the customizer is
    private final BeanProvider<RequestAuthenticator> authenticator;
    private final BeanProvider<GatewayMetrics> metrics;
    private final BeanProvider<ExecutorService> blocking;
    private final long minBodyBytesPerSecond;
    private final Duration minBodyRateGrace;

    public ConnectionGuardsInstaller(
            BeanProvider<RequestAuthenticator> authenticator,
            BeanProvider<GatewayMetrics> metrics,
            @Named(TaskExecutors.BLOCKING) BeanProvider<ExecutorService> blocking,
            @Value("${gateway.min-body-rate:1024}") long minBodyBytesPerSecond,
            @Value("${gateway.min-body-rate-grace:10s}") Duration minBodyRateGrace) {
        if (minBodyBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "gateway.min-body-rate must be >= 0 bytes a second, 0 to switch it off (got "
                            + minBodyBytesPerSecond + ")");
        }
        if (minBodyRateGrace.isNegative() || minBodyRateGrace.isZero()) {
            throw new IllegalArgumentException(
                    "gateway.min-body-rate-grace must be > 0 (got " + minBodyRateGrace + ")");
        }
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.blocking = blocking;
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
        this.minBodyRateGrace = minBodyRateGrace;
    }

    @Override
    public ChannelPipelineCustomizer onCreated(BeanCreatedEvent<ChannelPipelineCustomizer> event) {
        ChannelPipelineCustomizer customizer = event.getBean();
        if (customizer.isServerChannel()) {
            customizer.doOnConnect(pipeline -> {
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                        && pipeline.get(SLOW_CLIENTS) == null) {
                    pipeline.addAfter(
                            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                            SLOW_CLIENTS,
                            new SlowClientGuard(minBodyBytesPerSecond, minBodyRateGrace));
                    pipeline.addAfter(
                            ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                            AUTHENTICATION,
                            new AuthenticateBeforeBody(authenticator.get(), metrics.get(), blocking.get()));
                }
                return pipeline;
            });
        }
        return customizer;
    }
}
