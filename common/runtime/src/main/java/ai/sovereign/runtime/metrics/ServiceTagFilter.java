package ai.sovereign.runtime.metrics;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import io.micronaut.runtime.ApplicationConfiguration;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Tags every meter with {@code service} (the application name), so one Prometheus query spans the platform and the
 * all-in-one launcher's services stay apart. micronaut-micrometer applies every {@link MeterFilter} bean to the
 * registry it creates.
 */
@Factory
public class ServiceTagFilter {

    /** {@code micronaut.application.name} is Micronaut's own setting, read from its configuration bean. */
    @Singleton
    MeterFilter serviceTag(ApplicationConfiguration application) {
        return MeterFilter.commonTags(
                List.of(Tag.of("service", application.getName().orElse("service"))));
    }
}
