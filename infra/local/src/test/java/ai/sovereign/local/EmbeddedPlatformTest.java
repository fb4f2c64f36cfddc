package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
            try (Connection c = superuser(platform)) {
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
            try (Connection c = superuser(platform);
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

    private static Connection superuser(EmbeddedPlatform platform) throws java.sql.SQLException {
        return DriverManager.getConnection(
                platform.postgres().jdbcUrl(LocalSettings.DATABASE),
                DatabaseRoles.SUPERUSER,
                platform.databaseCredentials().password(DatabaseRoles.SUPERUSER));
    }

    @Test
    void everyDatabaseLoginNeedsItsPasswordTheOnesKeptInTheDataDirectory() throws Exception {
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(settings())) {
            Path file = dataDir.resolve("keys").resolve(PasswordsFile.POSTGRES.file());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            for (String login : DatabaseCredentials.logins()) {
                String password = platform.databaseCredentials().password(login);
                assertTrue(Files.readString(file)
                        .contains(PasswordsFile.POSTGRES.variable().apply(login) + "=" + password));
                try (Connection c = DriverManager.getConnection(
                        platform.postgres().jdbcUrl(LocalSettings.DATABASE), login, password)) {
                    assertTrue(c.isValid(5), login);
                }
                java.sql.SQLException refused = assertThrows(
                        java.sql.SQLException.class,
                        () -> DriverManager.getConnection(
                                platform.postgres().jdbcUrl(LocalSettings.DATABASE), login, "wrong-" + password));
                assertEquals("28P01", refused.getSQLState(), login + ": " + refused.getMessage());
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
