package ai.sovereign.gateway.proxy;

import ai.sovereign.gateway.connection.SlowClientGuardInstaller;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * Puts a {@link FastPathHandler} behind the HTTP/1.1 codec (and the slow-client guard) of every server connection,
 * in front of Micronaut's own handlers, unless {@code gateway.fast-path.enabled} is false.
 */
@Singleton
public class FastPathInstaller implements BeanCreatedEventListener<ChannelPipelineCustomizer> {

    static final String NAME = "gateway-fast-path";

    private final Provider<FastPath> fastPath;
    private volatile FastPath resolved;

    public FastPathInstaller(Provider<FastPath> fastPath) {
        this.fastPath = fastPath;
    }

    @Override
    public ChannelPipelineCustomizer onCreated(BeanCreatedEvent<ChannelPipelineCustomizer> event) {
        ChannelPipelineCustomizer customizer = event.getBean();
        if (customizer.isServerChannel()) {
            customizer.doOnConnect(pipeline -> {
                if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null && pipeline.get(NAME) == null) {
                    FastPath path = resolved;
                    if (path == null) {
                        path = fastPath.get();
                        resolved = path;
                    }
                    if (path.enabled()) {
                        // behind the slow-client guard whichever installer runs first (the guard adds itself right
                        // behind the codec), so the guard sees the fast path's requests and answers too
                        String behind = pipeline.get(SlowClientGuardInstaller.NAME) != null
                                ? SlowClientGuardInstaller.NAME : ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC;
                        pipeline.addAfter(behind, NAME, new FastPathHandler(path));
                    }
                }
                return pipeline;
            });
        }
        return customizer;
    }
}
