package ai.sovereign.runtime.fastlane;

import ai.sovereign.runtime.metrics.HttpRequestTimer;
import ai.sovereign.runtime.outbox.Outbox;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Puts the fast lane on every HTTP/1.1 connection of the HTTP server when the service has a {@link FastRoute}: just
 * in front of Micronaut's request handler, so that whatever sits behind the codec (the gateway's slow-client guard,
 * an access logger) sees the lane's requests and answers too. HTTP/2 connections and the HTTP clients' channels are
 * left alone.
 */
@Singleton
public class FastLaneInstaller implements BeanCreatedEventListener<ChannelPipelineCustomizer> {

    /** The lane's name in the pipeline. */
    public static final String NAME = "sovereign-fast-lane";

    private final BeanProvider<FastRoute<?>> routes;
    private final BeanProvider<HttpRequestTimer> timer;
    private final BeanProvider<Outbox> outbox;
    /**
     * The route, looked up at the first connection rather than at start-up: it depends on most of the service, which
     * is not built yet when the server's pipeline customizer is.
     */
    private volatile Optional<FastRoute<?>> route;

    public FastLaneInstaller(
            BeanProvider<FastRoute<?>> routes, BeanProvider<HttpRequestTimer> timer, BeanProvider<Outbox> outbox) {
        this.routes = routes;
        this.timer = timer;
        this.outbox = outbox;
    }

    @Override
    public ChannelPipelineCustomizer onCreated(BeanCreatedEvent<ChannelPipelineCustomizer> event) {
        ChannelPipelineCustomizer customizer = event.getBean();
        if (customizer.isServerChannel()) {
            customizer.doOnConnect(pipeline -> {
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                        && pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null
                        && pipeline.get(NAME) == null) {
                    route().ifPresent(found -> install(pipeline, found));
                }
                return pipeline;
            });
        }
        return customizer;
    }

    private Optional<FastRoute<?>> route() {
        Optional<FastRoute<?>> found = route;
        if (found == null) {
            found = routes.isPresent() ? Optional.of(routes.get()) : Optional.empty();
            route = found;
        }
        return found;
    }

    private <T> void install(ChannelPipeline pipeline, FastRoute<T> found) {
        Outbox events = outbox.isPresent() ? outbox.get() : null;
        pipeline.addBefore(
                ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND,
                NAME,
                new FastLaneHandler<>(found, timer.get(), () -> events == null || events.accepting()));
    }
}
