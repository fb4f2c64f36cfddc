package ai.sovereign.runtime.validation;

import io.micronaut.context.env.Environment;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.validation.validator.DefaultValidatorConfiguration;
import jakarta.inject.Singleton;

/**
 * Makes the validator find bean introspections through the service's own class loader. By default it uses
 * {@link BeanIntrospector#SHARED}, bound to the class loader that loaded Micronaut itself; when a service runs in a
 * class loader of its own over shared libraries (the all-in-one launcher), that loader cannot see the service's
 * introspections and every {@code @Valid} configuration bean fails with "No bean introspection present".
 */
@Singleton
public class ServiceClassLoaderIntrospections implements BeanCreatedEventListener<DefaultValidatorConfiguration> {

    private final Environment environment;

    public ServiceClassLoaderIntrospections(Environment environment) {
        this.environment = environment;
    }

    @Override
    public DefaultValidatorConfiguration onCreated(BeanCreatedEvent<DefaultValidatorConfiguration> event) {
        DefaultValidatorConfiguration configuration = event.getBean();
        configuration.setBeanIntrospector(BeanIntrospector.forClassLoader(environment.getClassLoader()));
        return configuration;
    }
}
