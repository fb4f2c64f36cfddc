package ai.sovereign.backup;

import ai.sovereign.backup.config.ConfigComponent;
import ai.sovereign.backup.graph.GraphComponent;
import ai.sovereign.backup.postgres.PostgresComponent;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.security.OutboundToken;
import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.backup.target.s3.S3HealthCheck;
import ai.sovereign.backup.target.s3.S3Target;
import ai.sovereign.backup.vectors.VectorsComponent;
import ai.sovereign.backup.vectors.http.HttpVectorSource;
import ai.sovereign.runtime.health.HealthCheck;
import ai.sovereign.runtime.postgres.PostgresSettings;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import tools.jackson.databind.json.JsonMapper;

/** Wires the components and targets from {@link BackupSettings}. */
@Factory
public class BackupFactory {

    private static final String S3_TARGET = "s3";

    /** {@code filesystem} always; {@code s3} when {@code backup.s3.bucket} is set; the default (requests without a target, schedules) by {@code backup.default-target}. */
    @Singleton
    Targets targets(BackupSettings settings) {
        List<BackupTarget> targets = new ArrayList<>();
        try {
            targets.add(new FilesystemTarget(Path.of(settings.root())));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "backup.root " + settings.root() + " cannot be created or read: " + e.getMessage(), e);
        }
        settings.s3().target().ifPresent(s3 -> targets.add(new S3Target(s3)));
        return new Targets(targets, settings.defaultTarget());
    }

    /** {@code s3} in {@code /health} when the S3 target is configured. */
    @Singleton
    @Requires(property = "backup.s3.bucket", pattern = ".+")
    HealthCheck s3Health(Targets targets) {
        return new S3HealthCheck((S3Target) targets.get(S3_TARGET, "target"));
    }

    @Singleton
    Components components(
            BackupSettings settings,
            PostgresSettings postgres,
            DataSource dataSource,
            @Nullable Driver driver,
            JsonMapper json,
            ServiceTokenSigner tokens) {
        List<BackupComponent> components = new ArrayList<>();
        List<String> excluded = new ArrayList<>(settings.postgres().excludeSchemas());
        excluded.add(postgres.schema()); // the service's own catalog is never backed up
        components.add(new PostgresComponent(dataSource, List.copyOf(excluded), json));
        if (driver != null) {
            components.add(new GraphComponent(driver, json, settings.neo4j().batchSize()));
        }
        components.add(new ConfigComponent(dataSource));
        String vectorsUrl = settings.vectors().ingestionUrl();
        if (!vectorsUrl.isEmpty()) {
            components.add(new VectorsComponent(new HttpVectorSource(vectorsUrl, new OutboundToken(tokens)), json));
        }
        return new Components(components);
    }
}
