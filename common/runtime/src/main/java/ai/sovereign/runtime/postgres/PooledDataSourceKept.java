package ai.sovereign.runtime.postgres;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.data.connection.jdbc.advice.ContextualAwareDataSource;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * Keeps the injected {@link DataSource} the connection pool itself where micronaut-data-jdbc is on the class path.
 * Micronaut Data would wrap it in a contextual proxy whose connections exist only inside {@code @Connectable} or
 * {@code @Transactional} methods; the services' plain JDBC (COPY, multi-statement transactions, keyset scans) opens and
 * closes its own connections and would fail there. In the all-in-one every service shares the launcher's class path,
 * so one service's repositories would change every service's pool. Repositories and {@code JdbcOperations} are not
 * affected: they take their connections from Micronaut Data's connection operations, not from this bean.
 */
@Singleton
@Requires(classes = ContextualAwareDataSource.class)
@Replaces(ContextualAwareDataSource.class)
final class PooledDataSourceKept implements BeanCreatedEventListener<DataSource> {

    @Override
    public DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        return event.getBean();
    }
}
