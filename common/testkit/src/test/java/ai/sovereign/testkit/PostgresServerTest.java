package ai.sovereign.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void flywayMigrationRunsAndItsRowsCanBeQueried() throws Exception {
        PostgresServer postgres = SharedInfrastructure.postgres();
        String url = postgres.newDatabase("flyway_probe");
        var result = Flyway.configure()
                .dataSource(url, PostgresServer.USER, "")
                .load()
                .migrate();
        assertEquals(1, result.migrationsExecuted);
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, "");
                ResultSet rs =
                        connection.createStatement().executeQuery("SELECT text, version() FROM probe.greeting")) {
            rs.next();
            assertEquals("hello from flyway", rs.getString(1));
            int major = Integer.parseInt(rs.getString(2).replaceAll("^PostgreSQL (\\d+).*$", "$1"));
            assertEquals(true, major >= 16, "PostgreSQL 16 or newer, got " + rs.getString(2));
        }
    }

    @Test
    void eachNewDatabaseIsSeparate() {
        PostgresServer postgres = SharedInfrastructure.postgres();
        assertNotEquals(postgres.newDatabase("isolated"), postgres.newDatabase("isolated"));
        assertEquals(1, SharedInfrastructure.starts(SharedInfrastructure.Server.POSTGRES));
    }
}
