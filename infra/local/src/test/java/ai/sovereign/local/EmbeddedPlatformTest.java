package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

class EmbeddedPlatformTest {

    @TempDir
    Path dataDir;

    private LocalSettings settings() {
        return new LocalSettings(dataDir, 0, 0, 0, true);
    }

    @Test
    void dataWrittenToEveryStoreSurvivesARestartOnTheSameDataDirectory() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(settings())) {
            try (Connection c =
                    DriverManager.getConnection(platform.postgres().jdbcUrl(LocalSettings.DATABASE), "postgres", "")) {
                c.createStatement().execute("CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('survives')");
            }
            try (var driver = GraphDatabase.driver(platform.neo4j().boltUri(), AuthTokens.none());
                    var session = driver.session()) {
                session.run("CREATE (:Kept {v: 'survives'})").consume();
            }
            try (Admin admin = admin(platform)) {
                admin.createTopics(Set.of(new NewTopic("kept.topic", 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(settings())) {
            try (Connection c = DriverManager.getConnection(
                            platform.postgres().jdbcUrl(LocalSettings.DATABASE), "postgres", "");
                    ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("survives", rs.getString(1));
            }
            try (var driver = GraphDatabase.driver(platform.neo4j().boltUri(), AuthTokens.none());
                    var session = driver.session()) {
                assertEquals(
                        "survives",
                        session.run("MATCH (k:Kept) RETURN k.v AS v")
                                .single()
                                .get("v")
                                .asString());
            }
            try (Admin admin = admin(platform)) {
                assertTrue(admin.listTopics().names().get().contains("kept.topic"));
            }
        }
    }

    @Test
    void secondInstanceOnTheSameDataDirectoryRefusesWithAClearMessage() throws Exception {
        try (EmbeddedPlatform ignored = EmbeddedPlatform.start(settings())) {
            var refused = assertThrows(
                    DataDirectoryLock.AlreadyRunningException.class, () -> EmbeddedPlatform.start(settings()));
            assertTrue(
                    refused.getMessage().contains("already running on the data directory " + dataDir),
                    refused.getMessage());
            assertTrue(
                    refused.getMessage()
                            .contains("pid " + ProcessHandle.current().pid()),
                    refused.getMessage());
        }
    }

    @Test
    void badPortSettingIsRejectedNamingTheVariable() {
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("SOVEREIGN_KAFKA_PORT", "ninety")));
        assertEquals("SOVEREIGN_KAFKA_PORT must be a port number (got 'ninety')", error.getMessage());
    }

    private static Admin admin(EmbeddedPlatform platform) {
        return Admin.create(platform.kafka().adminSettings());
    }
}
