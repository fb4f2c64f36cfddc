package ai.sovereign.runtime.metrics;

import java.util.List;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * Tags every meter with {@code service} (the application name), so one Prometheus query spans the platform and the
 * all-in-one launcher's services stay apart. micronaut-micrometer applies every {@link MeterFilter} bean to the
 * registry it creates.
 */
@Factory
public class ServiceTagFilter {

    // micronaut.application.name is Micronaut's own setting; read here, not owned here
    @Singleton
    MeterFilter serviceTag(@Value("${micronaut.application.name:service}") String service) {
        return MeterFilter.commonTags(List.of(Tag.of("service", service)));
    }
}
