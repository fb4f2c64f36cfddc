package ai.sovereign.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad {@code backup.*} value is refused at start with a message that names its key. */
class BackupSettingsTest {

    private static final String KEY = "q83vEjRWeJC6ze8SNFZ4kLrN7xI0VniQus3vEjRWeJA=";

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(
                        "backup.root must name a folder", (Runnable) () -> settings(" ", 3, Duration.ofSeconds(15))),
                Arguments.of("backup.zstd-level must be 1..19 (got 20)", (Runnable)
                        () -> settings("root", 20, Duration.ofSeconds(15))),
                Arguments.of("backup.schedule-check-interval must be > 0 (got PT0S)", (Runnable)
                        () -> settings("root", 3, Duration.ZERO)),
                Arguments.of("backup.encryption.key (BACKUP_ENCRYPTION_KEY) is not set", (Runnable)
                        () -> new BackupSettings.Encryption(" ", true)),
                Arguments.of("backup.encryption.key must be base64 of 32 bytes", (Runnable)
                        () -> new BackupSettings.Encryption("not base64!", true)),
                Arguments.of("backup.neo4j.batch-size must be 1..100000 (got 0)", (Runnable)
                        () -> new BackupSettings.Neo4j(0)),
                Arguments.of("backup.schedules.neo4j is not a cron expression (got 'every day')", (Runnable)
                        () -> new BackupSettings.Schedules(null, "every day", null, null)),
                Arguments.of("backup.retention.keep-weekly must be 0..100000 (got -1)", (Runnable)
                        () -> new BackupSettings.Retention(7, -1, 12, Duration.ofHours(24))),
                Arguments.of("backup.retention.min-age must be >= 0 (got PT-1H)", (Runnable)
                        () -> new BackupSettings.Retention(7, 4, 12, Duration.ofHours(-1))),
                Arguments.of("backup.s3.bucket is not a valid bucket name (got 'Not_A_Bucket')", (Runnable)
                        () -> new BackupSettings.S3("Not_A_Bucket", null, "us-east-1", null, null, null, false, 16)),
                Arguments.of("backup.s3.part-size-mb must be 5..5120 (got 4)", (Runnable)
                        () -> new BackupSettings.S3("backups", null, "us-east-1", null, null, null, false, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueIsRefusedNamingItsKey(String message, Runnable create) {
        var error = assertThrows(IllegalArgumentException.class, create::run);
        assertTrue(error.getMessage().startsWith(message), error.getMessage());
    }

    @Test
    void unsetGroupsMeanNoEncryptionNoScheduleAndNoS3Target() {
        assertTrue(new BackupSettings.Encryption(null, false).cipher().isEmpty());
        assertTrue(new BackupSettings.Encryption(" ", false).cipher().isEmpty());
        assertTrue(
                new BackupSettings.Schedules(null, "", null, null).byComponent().isEmpty());
        assertTrue(new BackupSettings.S3(null, null, "us-east-1", null, null, null, false, 16)
                .target()
                .isEmpty());
        assertEquals("", new BackupSettings.Vectors(null).ingestionUrl());
    }

    @Test
    void fiveFieldCronsGetASecondsFieldAndSchemasAreTrimmed() {
        var schedules = new BackupSettings.Schedules("0 3 * * *", null, null, null).byComponent();
        assertEquals(List.of("postgres"), List.copyOf(schedules.keySet()));
        assertEquals(
                List.of("public", "audit"),
                new BackupSettings.Postgres(Arrays.asList(" public", "", "audit ")).excludeSchemas());
    }

    @Test
    void secretsStayOutOfTheSettingsText() {
        String text = new BackupSettings.Encryption(KEY, true) + " "
                + new BackupSettings.S3(
                        "backups", null, "us-east-1", null, "AKIDEXAMPLE", "wJalrXUtnFEMI-secret", true, 16);
        assertFalse(text.contains(KEY), text);
        assertFalse(text.contains("wJalrXUtnFEMI-secret"), text);
        assertTrue(new BackupSettings.Encryption(KEY, true).cipher().isPresent());
    }

    private static BackupSettings settings(String root, int zstdLevel, Duration checkInterval) {
        return new BackupSettings(
                root,
                zstdLevel,
                "filesystem",
                checkInterval,
                new BackupSettings.Encryption(null, false),
                new BackupSettings.Signing(null),
                new BackupSettings.Postgres(List.of("public")),
                new BackupSettings.Neo4j(1000),
                new BackupSettings.Vectors(null),
                new BackupSettings.Schedules(null, null, null, null),
                new BackupSettings.Retention(7, 4, 12, Duration.ofHours(24)),
                new BackupSettings.S3(null, null, "us-east-1", null, null, null, false, 16));
    }
}
