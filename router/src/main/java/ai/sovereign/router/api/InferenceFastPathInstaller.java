package ai.sovereign.router.api;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import jakarta.inject.Singleton;

/**
 * Puts the {@link InferenceFastPath} on every HTTP/1.1 connection of the HTTP server, just in front of Micronaut's
 * request handler. HTTP/2 connections and the HTTP clients' channels are left alone.
 */
@Singleton
@Requires(property = "router.fast-path.enabled", notEquals = "false")
public class InferenceFastPathInstaller implements BeanCreatedEventListener<ChannelPipelineCustomizer> {

    private final BeanProvider<InferenceFastPath> fastPath;

    public InferenceFastPathInstaller(BeanProvider<InferenceFastPath> fastPath) {
        this.fastPath = fastPath;
    }

    @Override
    public ChannelPipelineCustomizer onCreated(BeanCreatedEvent<ChannelPipelineCustomizer> event) {
        ChannelPipelineCustomizer customizer = event.getBean();
        if (customizer.isServerChannel()) {
            customizer.doOnConnect(pipeline -> {
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                        && pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null
                        && pipeline.get(InferenceFastPath.HANDLER_NAME) == null) {
                    pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, InferenceFastPath.HANDLER_NAME,
                            fastPath.get().newHandler());
                }
                return pipeline;
            });
        }
        return customizer;
    }
}
