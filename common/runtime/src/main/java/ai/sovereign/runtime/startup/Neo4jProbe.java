package ai.sovereign.runtime.startup;

import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/** Kept apart so that services without the (optional) Neo4j driver never load its classes. */
final class Neo4jProbe {

    private Neo4jProbe() {}

    static String probe(String uri, String username, String password, Class<?> driverPresent) {
        Config config = Config.builder()
                .withConnectionTimeout(3, TimeUnit.SECONDS)
                .withoutEncryption()
                .build();
        try (Driver driver = GraphDatabase.driver(
                uri, username.isEmpty() ? AuthTokens.none() : AuthTokens.basic(username, password), config)) {
            driver.verifyConnectivity();
            return null;
        }
    }
}
