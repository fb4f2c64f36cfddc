package ai.sovereign.backup;

import ai.sovereign.backup.artifact.FileCipher;
import ai.sovereign.backup.artifact.ManifestFile;
import ai.sovereign.backup.retention.RetentionPolicy;
import ai.sovereign.backup.target.s3.S3Settings;
import ai.sovereign.runtime.signing.SigningKey;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.scheduling.cron.CronExpression;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backup-service's configuration ({@code backup.*}); every value is checked at start and a bad one names its key.
 *
 * @param root                  {@code backup.root}: the filesystem target's root folder
 * @param zstdLevel             {@code backup.zstd-level} (1..19)
 * @param defaultTarget         {@code backup.default-target}: target of schedules and of requests without one
 * @param scheduleCheckInterval {@code backup.schedule-check-interval}: how often the schedules are checked
 */
@ConfigurationProperties("backup")
public record BackupSettings(
        @Bindable(defaultValue = "./data/backups") String root,
        @Bindable(defaultValue = "3") int zstdLevel,
        @Bindable(defaultValue = "filesystem") String defaultTarget,
        @Bindable(defaultValue = "15s") Duration scheduleCheckInterval,
        Encryption encryption,
        Signing signing,
        Postgres postgres,
        Neo4j neo4j,
        Vectors vectors,
        Schedules schedules,
        Retention retention,
        S3 s3) {

    public BackupSettings {
        if (root.isBlank()) {
            throw new IllegalArgumentException("backup.root must name a folder (got an empty value)");
        }
        if (zstdLevel < 1 || zstdLevel > 19) {
            throw new IllegalArgumentException("backup.zstd-level must be 1..19 (got " + zstdLevel + ")");
        }
        if (scheduleCheckInterval.isNegative() || scheduleCheckInterval.isZero()) {
            throw new IllegalArgumentException(
                    "backup.schedule-check-interval must be > 0 (got " + scheduleCheckInterval + ")");
        }
        defaultTarget = defaultTarget.trim();
    }

    /**
     * {@code backup.encryption.key}: base64 of 32 random bytes. Without one the service does not start, unless {@code
     * backup.encryption.required=false} says unencrypted backups are wanted (a stolen backup store then reads every
     * prompt and document in it).
     */
    @ConfigurationProperties("encryption")
    public record Encryption(
            @Nullable String key,
            @Bindable(defaultValue = "true") boolean required) {

        public Encryption {
            key = key == null ? "" : key.trim();
            if (!key.isEmpty()) {
                new FileCipher(decode(key));
            } else if (required) {
                throw new IllegalArgumentException("backup.encryption.key (BACKUP_ENCRYPTION_KEY) is not set: backups"
                        + " would be written unencrypted; set it to base64 of 32 random bytes (openssl rand -base64 32,"
                        + " keep a copy offline), or backup.encryption.required=false to accept unencrypted backups");
            }
        }

        /** The cipher for files, when a key is configured. */
        public Optional<FileCipher> cipher() {
            return key.isEmpty() ? Optional.empty() : Optional.of(new FileCipher(decode(key)));
        }

        private static byte[] decode(String key) {
            try {
                return Base64.getDecoder().decode(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "backup.encryption.key must be base64 of 32 bytes (openssl rand -base64 32): "
                                + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "Encryption[key=" + (key.isEmpty() ? "none" : "(set)") + "]";
        }
    }

    /**
     * {@code backup.signing.key}: the Ed25519 key (PEM or base64 PKCS#8) that signs each backup's manifest. When not set,
     * the signing key is derived from {@code backup.encryption.key} (HKDF, its own purpose), so one secret protects
     * both; with neither (only with {@code backup.encryption.required=false}) manifests are unsigned.
     */
    @ConfigurationProperties("signing")
    public record Signing(@Nullable String key) {

        public Signing {
            key = key == null || key.isBlank() ? null : key.trim();
            if (key != null) {
                try {
                    SigningKey.fromPemOrBase64(key);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("backup.signing.key: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public String toString() {
            return "Signing[key=" + (key == null ? "none" : "(set)") + "]";
        }
    }

    /** The key that signs and checks manifests: {@code backup.signing.key}, else derived from the encryption key. */
    public Optional<SigningKey> manifestSigningKey() {
        if (signing != null && signing.key() != null) {
            return Optional.of(SigningKey.fromPemOrBase64(signing.key()));
        }
        return encryption.cipher().map(ManifestFile::derivedSigningKey);
    }

    /** {@code backup.postgres.exclude-schemas}: schemas the postgres component skips (the service's own is always skipped). */
    @ConfigurationProperties("postgres")
    public record Postgres(
            @Bindable(defaultValue = "public") List<String> excludeSchemas) {

        public Postgres {
            excludeSchemas = excludeSchemas == null
                    ? List.of()
                    : excludeSchemas.stream()
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList();
        }
    }

    /** {@code backup.neo4j.batch-size}: nodes or relationships written per transaction on restore (1..100000). */
    @ConfigurationProperties("neo4j")
    public record Neo4j(@Bindable(defaultValue = "1000") int batchSize) {

        public Neo4j {
            if (batchSize < 1 || batchSize > 100_000) {
                throw new IllegalArgumentException("backup.neo4j.batch-size must be 1..100000 (got " + batchSize + ")");
            }
        }
    }

    /** {@code backup.vectors.ingestion-url}: the ingestion service's base URL; empty: no vectors component. */
    @ConfigurationProperties("vectors")
    public record Vectors(@Nullable String ingestionUrl) {

        public Vectors {
            ingestionUrl = ingestionUrl == null ? "" : ingestionUrl.trim();
        }
    }

    /** {@code backup.schedules.<component>}: a cron per component; empty: not scheduled. */
    @ConfigurationProperties("schedules")
    public record Schedules(
            @Nullable String postgres,
            @Nullable String neo4j,
            @Nullable String config,
            @Nullable String vectors) {

        public Schedules {
            byComponent(postgres, neo4j, config, vectors);
        }

        /** Component → cron (six fields, seconds first; five-field expressions get "0 " in front). */
        public Map<String, CronExpression> byComponent() {
            return byComponent(postgres, neo4j, config, vectors);
        }

        private static Map<String, CronExpression> byComponent(
                String postgres, String neo4j, String config, String vectors) {
            Map<String, CronExpression> schedules = new LinkedHashMap<>();
            parse("postgres", postgres, schedules);
            parse("neo4j", neo4j, schedules);
            parse("config", config, schedules);
            parse("vectors", vectors, schedules);
            return schedules;
        }

        private static void parse(String component, @Nullable String cron, Map<String, CronExpression> into) {
            if (cron == null || cron.isBlank()) {
                return;
            }
            String expression = cron.trim().split("\\s+").length == 5 ? "0 " + cron.trim() : cron.trim();
            try {
                CronExpression parsed = CronExpression.create(expression);
                parsed.nextTimeAfter(ZonedDateTime.now(ZoneOffset.UTC));
                into.put(component, parsed);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("backup.schedules." + component + " is not a cron expression (got '"
                        + cron + "'): " + e.getMessage());
            }
        }
    }

    /** {@code backup.retention.*}: the grandfather-father-son policy ({@link RetentionPolicy}). */
    @ConfigurationProperties("retention")
    public record Retention(
            @Bindable(defaultValue = "7") int keepDaily,
            @Bindable(defaultValue = "4") int keepWeekly,
            @Bindable(defaultValue = "12") int keepMonthly,
            @Bindable(defaultValue = "24h") Duration minAge) {

        public Retention {
            RetentionPolicy.of(keepDaily, keepWeekly, keepMonthly, minAge, "backup.retention.");
        }

        public RetentionPolicy policy() {
            return RetentionPolicy.of(keepDaily, keepWeekly, keepMonthly, minAge, "backup.retention.");
        }
    }

    /**
     * {@code backup.s3.*}: the S3-compatible target, configured when {@code bucket} is set; see {@link S3Settings} for
     * each key.
     */
    @ConfigurationProperties("s3")
    public record S3(
            @Nullable String bucket,
            @Nullable String endpoint,
            @Bindable(defaultValue = "us-east-1") String region,
            @Nullable String prefix,
            @Nullable String accessKeyId,
            @Nullable String secretAccessKey,
            @Bindable(defaultValue = "false") boolean pathStyleAccess,
            @Bindable(defaultValue = "16") int partSizeMb) {

        public S3 {
            target(bucket, endpoint, region, prefix, accessKeyId, secretAccessKey, pathStyleAccess, partSizeMb);
        }

        /** The S3 target's settings, checked; empty when no bucket is set. */
        public Optional<S3Settings> target() {
            return target(bucket, endpoint, region, prefix, accessKeyId, secretAccessKey, pathStyleAccess, partSizeMb);
        }

        private static Optional<S3Settings> target(
                String bucket,
                String endpoint,
                String region,
                String prefix,
                String accessKeyId,
                String secretAccessKey,
                boolean pathStyleAccess,
                int partSizeMb) {
            if (bucket == null || bucket.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(S3Settings.of(
                    endpoint, region, bucket, prefix, accessKeyId, secretAccessKey, pathStyleAccess, partSizeMb));
        }

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", endpoint=" + endpoint + ", region=" + region + ", prefix=" + prefix
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                    + (secretAccessKey == null || secretAccessKey.isEmpty() ? "none" : "(set)")
                    + ", pathStyleAccess=" + pathStyleAccess + ", partSizeMb=" + partSizeMb + "]";
        }
    }
}
