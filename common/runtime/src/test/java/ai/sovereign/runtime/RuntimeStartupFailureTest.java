package ai.sovereign.runtime;

import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.StartupFailureContract;
import java.util.Map;
import org.junit.jupiter.api.Nested;

class RuntimeStartupFailureTest {

    @Nested
    class WhenPostgresIsDown extends StartupFailureContract {
        @Override
        protected Class<?> mainClass() {
            return ProbeApplication.class;
        }

        @Override
        protected String dependencyName() {
            return "PostgreSQL";
        }

        @Override
        protected Map<String, String> environmentWithDependencyAt(int port) {
            return Map.of(
                    "DATASOURCES_DEFAULT_URL",
                    "jdbc:postgresql://127.0.0.1:" + port + "/sovereign",
                    "KAFKA_BOOTSTRAP_SERVERS",
                    SharedInfrastructure.kafka().bootstrapServers());
        }
    }

    @Nested
    class WhenKafkaIsDown extends StartupFailureContract {
        @Override
        protected Class<?> mainClass() {
            return ProbeApplication.class;
        }

        @Override
        protected String dependencyName() {
            return "Kafka";
        }

        @Override
        protected Map<String, String> environmentWithDependencyAt(int port) {
            return Map.of(
                    "DATASOURCES_DEFAULT_URL",
                    SharedInfrastructure.postgres().jdbcUrl("postgres"),
                    "KAFKA_BOOTSTRAP_SERVERS",
                    "127.0.0.1:" + port);
        }
    }
}
