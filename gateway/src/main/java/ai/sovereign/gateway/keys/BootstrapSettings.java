package ai.sovereign.gateway.keys;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;

/** {@code gateway.bootstrap.key-file}: where a generated bootstrap admin key is written (owner-only). */
@ConfigurationProperties("gateway.bootstrap")
public record BootstrapSettings(
        @Bindable(defaultValue = "data/gateway/bootstrap-admin.key")
        Path keyFile) {}
