package ai.sovereign.gateway.connection;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import jakarta.inject.Singleton;

/** Puts a {@link SlowClientGuard} behind the HTTP/1.1 codec of every server connection. */
@Singleton
public class SlowClientGuardInstaller implements BeanCreatedEventListener<ChannelPipelineCustomizer> {

    /** The guard's name in the pipeline. */
    public static final String NAME = "gateway-slow-client-guard";

    @Override
    public ChannelPipelineCustomizer onCreated(BeanCreatedEvent<ChannelPipelineCustomizer> event) {
        ChannelPipelineCustomizer customizer = event.getBean();
        if (customizer.isServerChannel()) {
            customizer.doOnConnect(pipeline -> {
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                        && pipeline.get(NAME) == null) {
                    pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, NAME, new SlowClientGuard());
                }
                return pipeline;
            });
        }
        return customizer;
    }
}
