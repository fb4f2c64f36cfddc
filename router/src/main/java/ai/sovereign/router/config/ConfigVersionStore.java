package ai.sovereign.router.config;

import ai.sovereign.runtime.postgres.PostgresSettings;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The versions of the routing configuration in {@code router.config_versions}. Rows are only ever inserted: every
 * change, rollback included, is a new version.
 */
@Singleton
public class ConfigVersionStore {

    private final DataSource dataSource;
    private final ConfigDocumentCodec codec;
    private final JsonMapper json;
    private final String table;

    public ConfigVersionStore(DataSource dataSource, JsonMapper json, PostgresSettings postgres) {
        this.dataSource = dataSource;
        this.table = postgres.schema() + ".config_versions";
        this.json = json;
        this.codec = new ConfigDocumentCodec(json);
    }

    public Optional<ConfigVersion> latest() {
        return queryOne(
                "SELECT version, document, author, change, created_at FROM " + table + " "
                        + "ORDER BY version DESC LIMIT 1",
                null);
    }

    public Optional<ConfigVersion> find(int version) {
        return queryOne(
                "SELECT version, document, author, change, created_at FROM " + table + " WHERE version = ?", version);
    }

    /** Newest first. */
    public List<ConfigVersion> history(int limit) {
        String sql = "SELECT version, document, author, change, created_at FROM " + table + " "
                + "ORDER BY version DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            List<ConfigVersion> versions = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.add(map(rows));
                }
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException("reading router.config_versions failed: " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code config} as the version after {@code expectedLatest}; empty when another writer stored that
     * version first (the primary key refuses the second), so the caller can re-read and decide again.
     */
    public Optional<ConfigVersion> append(int expectedLatest, RoutingConfig config, String author, String change) {
        String sql = "INSERT INTO " + table + " (version, document, author, change) VALUES (?, CAST(? AS jsonb), ?, ?) "
                + "ON CONFLICT (version) DO NOTHING RETURNING version, document, author, change, created_at";
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, expectedLatest + 1);
            statement.setString(2, json.writeValueAsString(codec.write(config)));
            statement.setString(3, author);
            statement.setString(4, change);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing router.config_versions failed: " + e.getMessage(), e);
        }
    }

    private Optional<ConfigVersion> queryOne(String sql, Integer parameter) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            if (parameter != null) {
                statement.setInt(1, parameter);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading router.config_versions failed: " + e.getMessage(), e);
        }
    }

    private ConfigVersion map(ResultSet row) throws SQLException {
        // Stored documents were validated when written; reading over the defaults keeps old versions readable
        // after a setting is added.
        RoutingConfig config = codec.read(json.readTree(row.getString("document")), RoutingConfig.defaults());
        Timestamp created = row.getTimestamp("created_at");
        return new ConfigVersion(
                row.getInt("version"), config, row.getString("author"), row.getString("change"), created.toInstant());
    }
}
