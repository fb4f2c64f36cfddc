package ai.sovereign.gateway.keys;

import java.nio.file.Path;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** {@code gateway.bootstrap.key-file}: where a generated bootstrap admin key is written (owner-only). */
@ConfigurationProperties("gateway.bootstrap")
public record BootstrapSettings(@Bindable(defaultValue = "data/gateway/bootstrap-admin.key") Path keyFile) {
}
