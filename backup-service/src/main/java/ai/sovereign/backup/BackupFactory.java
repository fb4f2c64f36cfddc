package ai.sovereign.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import ai.sovereign.backup.config.ConfigComponent;
import ai.sovereign.backup.graph.GraphComponent;
import ai.sovereign.backup.postgres.PostgresComponent;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.backup.vectors.VectorsComponent;
import ai.sovereign.backup.vectors.http.HttpVectorSource;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import tools.jackson.databind.json.JsonMapper;

/** Wires the components and targets from {@link BackupSettings}. */
@Factory
public class BackupFactory {

    @Singleton
    JsonMapper jsonMapper() {
        return JsonMapper.builder().build();
    }

    @Singleton
    Targets targets(BackupSettings settings) {
        try {
            return new Targets(List.of(new FilesystemTarget(Path.of(settings.root()))));
        } catch (IOException e) {
            throw new UncheckedIOException("backup.root " + settings.root() + " cannot be created or read: " + e.getMessage(), e);
        }
    }

    @Singleton
    Components components(BackupSettings settings, DataSource dataSource, @Nullable Driver driver, JsonMapper json) {
        List<BackupComponent> components = new ArrayList<>();
        components.add(new PostgresComponent(dataSource, settings.excludedSchemas(), json));
        if (driver != null) {
            components.add(new GraphComponent(driver, json, settings.neo4jBatchSize()));
        }
        components.add(new ConfigComponent(dataSource));
        if (!settings.vectorsUrl().isEmpty()) {
            components.add(new VectorsComponent(new HttpVectorSource(settings.vectorsUrl()), json));
        }
        return new Components(components);
    }
}
