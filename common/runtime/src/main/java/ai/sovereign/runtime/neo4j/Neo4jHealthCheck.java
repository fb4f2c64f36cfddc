package ai.sovereign.runtime.neo4j;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.neo4j.driver.Driver;

/** Neo4j is UP when the driver reaches the server and a trivial query answers. */
@Singleton
@Requires(beans = Driver.class)
public class Neo4jHealthCheck implements HealthCheck {

    private final Driver driver;

    public Neo4jHealthCheck(Driver driver) {
        this.driver = driver;
    }

    @Override
    public String name() {
        return "neo4j";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        try (var session = driver.session()) {
            var summary = session.run("RETURN 1").consume();
            details.put("server", summary.server().address());
            details.put("agent", summary.server().agent());
            return CheckResult.up(details);
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            return CheckResult.down(details);
        }
    }
}
