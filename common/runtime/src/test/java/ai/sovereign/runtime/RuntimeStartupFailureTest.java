package ai.sovereign.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.FreePorts;
import ai.sovereign.testkit.JavaProcess;
import ai.sovereign.testkit.SharedInfrastructure;
import ai.sovereign.testkit.contract.StartupFailureContract;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

    @Test
    void aBrokerRefusingTheLoginStopsTheStartAtOnceWithExitCode3NamingTheBrokerAndThePrincipal() {
        String broker = SharedInfrastructure.kafka().bootstrapServers();
        JavaProcess.Result result = JavaProcess.run(
                ProbeApplication.class,
                Map.of(
                        "DATASOURCES_DEFAULT_URL",
                        SharedInfrastructure.postgres().jdbcUrl("postgres"),
                        "KAFKA_BOOTSTRAP_SERVERS",
                        broker,
                        "SOVEREIGN_KAFKA_USERNAME",
                        "router",
                        "SOVEREIGN_KAFKA_PASSWORD",
                        "not-the-router-password",
                        // a refused login is final: the launcher does not wait this out
                        "SOVEREIGN_STARTUP_DEPENDENCY_WAIT",
                        "10m",
                        "MICRONAUT_SERVER_PORT",
                        String.valueOf(FreePorts.next())),
                Duration.ofSeconds(90));
        assertEquals(3, result.exitCode(), result.stderr());
        assertTrue(
                result.stderr().contains("Kafka at " + broker + " refused the login of principal 'router'"),
                result.stderr());
    }

    @Test
    void noKafkaPasswordIsAConfigurationErrorWithExitCode4() {
        JavaProcess.Result result = JavaProcess.run(
                ProbeApplication.class,
                Map.of(
                        "DATASOURCES_DEFAULT_URL", "jdbc:postgresql://127.0.0.1:1/none",
                        "SOVEREIGN_KAFKA_USERNAME", "router",
                        "MICRONAUT_SERVER_PORT", String.valueOf(FreePorts.next())),
                Duration.ofSeconds(90));
        assertEquals(4, result.exitCode(), result.stderr());
        assertTrue(
                result.stderr().contains("no Kafka password for principal 'router': set SOVEREIGN_KAFKA_PASSWORD"),
                result.stderr());
    }
}
