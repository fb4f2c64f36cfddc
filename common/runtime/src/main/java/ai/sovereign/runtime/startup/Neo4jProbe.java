package ai.sovereign.runtime.startup;

import ai.sovereign.runtime.neo4j.Neo4jDriverConfig;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/** Kept apart so that services without the (optional) Neo4j driver never load its classes. */
final class Neo4jProbe {

    private Neo4jProbe() {}

    static String probe(
            String uri, String username, String password, String trustedCertificate, Class<?> driverPresent) {
        Config config = Neo4jDriverConfig.builder(uri, trustedCertificate).build();
        try (Driver driver = GraphDatabase.driver(
                uri, username.isEmpty() ? AuthTokens.none() : AuthTokens.basic(username, password), config)) {
            driver.verifyConnectivity();
            return null;
        }
    }
}
