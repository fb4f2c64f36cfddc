package ai.sovereign.runtime.neo4j;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The Neo4j driver, from {@code neo4j.uri}, {@code neo4j.username} and {@code neo4j.password} (none: no auth), with
 * the encryption of {@link Neo4jDriverConfig}.
 */
@Factory
@Requires(classes = Driver.class)
@Requires(property = "neo4j.uri")
public class Neo4jFactory {

    @Singleton
    @Bean(preDestroy = "close")
    Driver driver(Neo4jSettings settings) {
        AuthToken auth = settings.username().isEmpty()
                ? AuthTokens.none()
                : AuthTokens.basic(settings.username(), settings.password());
        Config config = Neo4jDriverConfig.builder(settings.uri(), settings.trustedCertificate())
                .withMaxConnectionPoolSize(50)
                .build();
        return GraphDatabase.driver(settings.uri(), auth, config);
    }
}
