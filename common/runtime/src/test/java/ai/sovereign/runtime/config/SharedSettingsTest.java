package ai.sovereign.runtime.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.neo4j.Neo4jSettings;
import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.SecuritySettings;
import io.micronaut.context.ApplicationContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The settings every service shares refuse bad values naming the key, and keep secrets out of their text. */
class SharedSettingsTest {

    @Test
    void aServiceThatNeitherCallsNorVerifiesNeedsNoKeyOutsideDevMode() {
        try (ApplicationContext context =
                ApplicationContext.builder().deduceEnvironment(false).start()) {
            SecuritySettings settings = context.getBean(SecuritySettings.class);
            assertFalse(settings.devMode());
            assertEquals(List.of(), settings.protectedPaths());
            assertEquals(Map.of(), settings.callerRoles());
        }
    }

    @Test
    void theCallersAndProtectedPathsAreBoundAsConfigured() {
        String signingKey = "{\"kty\":\"EC\",\"d\":\"private-part\"}";
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of(
                        "sovereign.security.dev-mode", true,
                        "sovereign.security.signing-key", signingKey,
                        "sovereign.security.callers.gateway", List.of("user", "admin"),
                        "sovereign.security.callers.backup-service", List.of("service"),
                        "sovereign.security.protected-paths", Arrays.asList("/api/v1", " ", "/v1")))
                .start()) {
            SecuritySettings settings = context.getBean(SecuritySettings.class);
            assertEquals(
                    Map.of("gateway", Set.of(Role.USER, Role.ADMIN), "backup-service", Set.of(Role.SERVICE)),
                    settings.callerRoles());
            assertEquals(List.of("/api/v1", "/v1"), settings.protectedPaths());
            assertFalse(settings.toString().contains("private-part"), settings.toString());
        }
    }

    @Test
    void anUnknownRoleAmongTheCallersIsRefused() {
        SecuritySettings settings =
                new SecuritySettings(true, null, null, Map.of("gateway", List.of("root")), null, null, null);
        var error = assertThrows(IllegalArgumentException.class, settings::callerRoles);
        assertTrue(error.getMessage().startsWith("role must be one of"), error.getMessage());
    }

    @Test
    void aSchemaMustBeALowerCaseIdentifier() {
        assertEquals("ingestion", new PostgresSettings("ingestion").schema());
        for (String bad : Arrays.asList(null, "", "Ingestion", "a;drop")) {
            var error =
                    assertThrows(IllegalArgumentException.class, () -> new PostgresSettings(bad), String.valueOf(bad));
            assertEquals("postgres.schema must be a lower-case SQL identifier (got '" + bad + "')", error.getMessage());
        }
    }

    @Test
    void neo4jNeedsAUriAndKeepsThePasswordOutOfItsText() {
        var error = assertThrows(IllegalArgumentException.class, () -> new Neo4jSettings(" ", null, null, null));
        assertTrue(error.getMessage().startsWith("neo4j.uri must be a Bolt URI"), error.getMessage());
        Neo4jSettings settings = new Neo4jSettings("bolt://localhost:7687", "neo4j", "hunter2-password", null);
        assertFalse(settings.toString().contains("hunter2-password"), settings.toString());
        assertEquals("", new Neo4jSettings("bolt://localhost:7687", null, null, null).username());
    }

    @Test
    void everyServiceLogsInToKafkaWithScramAsItsOwnNameUnlessTold() {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of("micronaut.application.name", "router", "sovereign.kafka.password", "pw-1"))
                .start()) {
            assertEquals(
                    "SASL_PLAINTEXT",
                    context.getProperty("kafka.security.protocol", String.class).orElseThrow());
            assertEquals(
                    "SCRAM-SHA-512",
                    context.getProperty("kafka.sasl.mechanism", String.class).orElseThrow());
            assertEquals(
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"router\""
                            + " password=\"pw-1\";",
                    context.getProperty("kafka.sasl.jaas.config", String.class).orElseThrow());
        }
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.application.name", "gpu-agent",
                        "sovereign.kafka.username", "gpu-agent-rack-7",
                        "sovereign.kafka.password", "pw-2"))
                .start()) {
            assertTrue(context.getProperty("kafka.sasl.jaas.config", String.class)
                    .orElseThrow()
                    .contains("username=\"gpu-agent-rack-7\" password=\"pw-2\""));
        }
    }
}
