package ai.sovereign.runtime.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.neo4j.Neo4jSettings;
import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.security.SecuritySettings;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings every service shares refuse bad values naming the key, and keep secrets out of their text. */
class SharedSettingsTest {

    private static final String SECRET = "a-platform-secret-of-at-least-32-bytes!!";

    @Test
    void aMissingTokenSecretStopsTheServiceOutsideDevMode() {
        var error = assertThrows(IllegalStateException.class, () -> new SecuritySettings(null, false, null));
        assertTrue(
                error.getMessage()
                        .startsWith("sovereign.security.token-secret (SOVEREIGN_SECURITY_TOKEN_SECRET) is not set"),
                error.getMessage());
        assertTrue(new SecuritySettings("", true, null).secret().length >= 32, "dev mode has a built-in secret");
    }

    @Test
    void onlyTheSecretIsNeededOutsideDevMode() {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of("sovereign.security.token-secret", SECRET))
                .start()) {
            SecuritySettings settings = context.getBean(SecuritySettings.class);
            assertFalse(settings.devMode());
            assertEquals(List.of(), settings.protectedPaths());
            assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), settings.secret());
        }
    }

    @Test
    void theConfiguredSecretAndProtectedPathsAreUsedAsGiven() {
        SecuritySettings settings = new SecuritySettings(SECRET, false, Arrays.asList("/api/v1", " ", "/v1"));
        assertArrayEquals(SECRET.getBytes(StandardCharsets.UTF_8), settings.secret());
        assertEquals(List.of("/api/v1", "/v1"), settings.protectedPaths());
        assertFalse(settings.toString().contains(SECRET), settings.toString());
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
        var error = assertThrows(IllegalArgumentException.class, () -> new Neo4jSettings(" ", null, null));
        assertTrue(error.getMessage().startsWith("neo4j.uri must be a Bolt URI"), error.getMessage());
        Neo4jSettings settings = new Neo4jSettings("bolt://localhost:7687", "neo4j", "hunter2-password");
        assertFalse(settings.toString().contains("hunter2-password"), settings.toString());
        assertEquals("", new Neo4jSettings("bolt://localhost:7687", null, null).username());
    }
}
