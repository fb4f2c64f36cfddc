package ai.sovereign.runtime.validation;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.env.Environment;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.serde.config.SerdeConfiguration;
import io.micronaut.serde.support.DefaultSerdeIntrospections;
import jakarta.inject.Singleton;

/**
 * JSON (de)serialization that finds {@code @Serdeable} introspections through the service's own class loader, for
 * the same reason as {@link ServiceClassLoaderIntrospections}: the default looks only in the loader of Micronaut
 * itself, which in the all-in-one launcher cannot see a service's classes.
 */
@Singleton
@Replaces(DefaultSerdeIntrospections.class)
public class ServiceClassLoaderSerdeIntrospections extends DefaultSerdeIntrospections {

    private final BeanIntrospector introspector;

    public ServiceClassLoaderSerdeIntrospections(SerdeConfiguration configuration, Environment environment) {
        super(configuration);
        this.introspector = BeanIntrospector.forClassLoader(environment.getClassLoader());
    }

    @Override
    public BeanIntrospector getBeanIntrospector() {
        return introspector;
    }
}
