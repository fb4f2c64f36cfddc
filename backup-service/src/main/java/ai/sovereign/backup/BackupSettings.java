package ai.sovereign.backup;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ai.sovereign.backup.artifact.SegmentedGcm;
import ai.sovereign.backup.retention.RetentionPolicy;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.inject.Singleton;

/**
 * The backup-service's configuration; every value is checked at start and a bad one names its key.
 *
 * @param root            {@code backup.root}: the filesystem target's root folder
 * @param encryptionKey   {@code backup.encryption.key}: base64 of 32 random bytes; empty: files are not encrypted
 * @param excludedSchemas {@code backup.postgres.exclude-schemas}: schemas the postgres component skips (the service's own is always skipped)
 * @param neo4jBatchSize  {@code backup.neo4j.batch-size}
 * @param zstdLevel       {@code backup.zstd-level} (1..19)
 * @param vectorsUrl      {@code backup.vectors.ingestion-url}: the ingestion service's base URL; empty: no vectors component
 */
@Singleton
public final class BackupSettings {

    private final String root;
    private final Optional<SegmentedGcm> encryption;
    private final List<String> excludedSchemas;
    private final int neo4jBatchSize;
    private final int zstdLevel;
    private final String vectorsUrl;
    private final Map<String, CronExpression> schedules = new LinkedHashMap<>();
    private final RetentionPolicy retention;

    public BackupSettings(@Value("${backup.root:./data/backups}") String root,
                          @Value("${backup.encryption.key:}") String encryptionKey,
                          @Value("${backup.postgres.exclude-schemas:public}") List<String> excludedSchemas,
                          @Value("${postgres.schema:backup}") String ownSchema,
                          @Value("${backup.neo4j.batch-size:1000}") int neo4jBatchSize,
                          @Value("${backup.zstd-level:3}") int zstdLevel,
                          @Value("${backup.vectors.ingestion-url:}") String vectorsUrl,
                          @Value("${backup.schedules.postgres:}") String postgresCron,
                          @Value("${backup.schedules.neo4j:}") String neo4jCron,
                          @Value("${backup.schedules.config:}") String configCron,
                          @Value("${backup.schedules.vectors:}") String vectorsCron,
                          @Value("${backup.retention.keep-daily:7}") int keepDaily,
                          @Value("${backup.retention.keep-weekly:4}") int keepWeekly,
                          @Value("${backup.retention.keep-monthly:12}") int keepMonthly,
                          @Value("${backup.retention.min-age:24h}") Duration minAge) {
        if (root.isBlank()) {
            throw new IllegalArgumentException("backup.root must name a folder (got an empty value)");
        }
        this.root = root;
        if (encryptionKey.isBlank()) {
            this.encryption = Optional.empty();
        } else {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(encryptionKey.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("backup.encryption.key must be base64 of 32 bytes (openssl rand -base64 32): " + e.getMessage());
            }
            this.encryption = Optional.of(new SegmentedGcm(key));
        }
        java.util.ArrayList<String> excluded = new java.util.ArrayList<>(excludedSchemas.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());
        excluded.add(ownSchema);
        this.excludedSchemas = List.copyOf(excluded);
        if (neo4jBatchSize < 1 || neo4jBatchSize > 100_000) {
            throw new IllegalArgumentException("backup.neo4j.batch-size must be 1..100000 (got " + neo4jBatchSize + ")");
        }
        this.neo4jBatchSize = neo4jBatchSize;
        if (zstdLevel < 1 || zstdLevel > 19) {
            throw new IllegalArgumentException("backup.zstd-level must be 1..19 (got " + zstdLevel + ")");
        }
        this.zstdLevel = zstdLevel;
        this.vectorsUrl = vectorsUrl.trim();
        schedule("postgres", postgresCron);
        schedule("neo4j", neo4jCron);
        schedule("config", configCron);
        schedule("vectors", vectorsCron);
        this.retention = RetentionPolicy.of(keepDaily, keepWeekly, keepMonthly, minAge, "backup.retention.");
    }

    private void schedule(String component, String cron) {
        if (cron.isBlank()) {
            return;
        }
        String expression = cron.trim().split("\\s+").length == 5 ? "0 " + cron.trim() : cron.trim();
        try {
            CronExpression parsed = CronExpression.create(expression);
            parsed.nextTimeAfter(java.time.ZonedDateTime.now());
            schedules.put(component, parsed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("backup.schedules." + component + " is not a cron expression (got '" + cron + "'): " + e.getMessage());
        }
    }

    public String root() {
        return root;
    }

    public Optional<SegmentedGcm> encryption() {
        return encryption;
    }

    public List<String> excludedSchemas() {
        return excludedSchemas;
    }

    public int neo4jBatchSize() {
        return neo4jBatchSize;
    }

    public int zstdLevel() {
        return zstdLevel;
    }

    public String vectorsUrl() {
        return vectorsUrl;
    }

    /** Component → cron (six fields, seconds first; five-field expressions get "0 " in front). */
    public Map<String, CronExpression> schedules() {
        return schedules;
    }

    public RetentionPolicy retention() {
        return retention;
    }
}
