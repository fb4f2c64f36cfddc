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
import ai.sovereign.backup.security.OutboundToken;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.backup.target.filesystem.FilesystemTarget;
import ai.sovereign.backup.target.s3.S3HealthCheck;
import ai.sovereign.backup.target.s3.S3Settings;
import ai.sovereign.backup.target.s3.S3Target;
import ai.sovereign.backup.vectors.VectorsComponent;
import ai.sovereign.backup.vectors.http.HttpVectorSource;
import ai.sovereign.runtime.health.HealthCheck;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.neo4j.driver.Driver;
import tools.jackson.databind.json.JsonMapper;

/** Wires the components and targets from {@link BackupSettings}. */
@Factory
public class BackupFactory {

    private static final String S3_TARGET = "s3";

    /** {@code filesystem} always; {@code s3} when {@code backup.s3.bucket} is set; the default (requests without a target, schedules) by {@code backup.default-target}. */
    @Singleton
    Targets targets(BackupSettings settings,
                    @Value("${backup.s3.bucket:}") String s3Bucket,
                    @Value("${backup.s3.endpoint:}") String s3Endpoint,
                    @Value("${backup.s3.region:us-east-1}") String s3Region,
                    @Value("${backup.s3.prefix:}") String s3Prefix,
                    @Value("${backup.s3.access-key-id:}") String s3AccessKeyId,
                    @Value("${backup.s3.secret-access-key:}") String s3SecretAccessKey,
                    @Value("${backup.s3.path-style-access:false}") boolean s3PathStyle,
                    @Value("${backup.s3.part-size-mb:16}") int s3PartSizeMb,
                    @Value("${backup.default-target:filesystem}") String defaultTarget) {
        List<BackupTarget> targets = new ArrayList<>();
        try {
            targets.add(new FilesystemTarget(Path.of(settings.root())));
        } catch (IOException e) {
            throw new UncheckedIOException("backup.root " + settings.root() + " cannot be created or read: " + e.getMessage(), e);
        }
        if (!s3Bucket.isBlank()) {
            targets.add(new S3Target(S3Settings.of(s3Endpoint, s3Region, s3Bucket, s3Prefix, s3AccessKeyId, s3SecretAccessKey, s3PathStyle,
                    s3PartSizeMb)));
        }
        return new Targets(targets, defaultTarget.trim());
    }

    /** {@code s3} in {@code /health} when the S3 target is configured. */
    @Singleton
    @Requires(property = "backup.s3.bucket", pattern = ".+")
    HealthCheck s3Health(Targets targets) {
        return new S3HealthCheck((S3Target) targets.get(S3_TARGET, "target"));
    }

    @Singleton
    Components components(BackupSettings settings, DataSource dataSource, @Nullable Driver driver, JsonMapper json,
                          ServiceTokenCodec tokens) {
        List<BackupComponent> components = new ArrayList<>();
        components.add(new PostgresComponent(dataSource, settings.excludedSchemas(), json));
        if (driver != null) {
            components.add(new GraphComponent(driver, json, settings.neo4jBatchSize()));
        }
        components.add(new ConfigComponent(dataSource));
        if (!settings.vectorsUrl().isEmpty()) {
            components.add(new VectorsComponent(new HttpVectorSource(settings.vectorsUrl(), new OutboundToken(tokens)), json));
        }
        return new Components(components);
    }
}
