package ai.sovereign.local;

import ai.sovereign.runtime.files.OwnerOnlyFiles;
import ai.sovereign.testkit.DatabaseCredentials;
import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.KafkaCredentials;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A platform's passwords of one kind on disk, a file in a key directory (mode 600) of environment lines ({@code
 * KAFKA_<PRINCIPAL>_PASSWORD=…}, {@code POSTGRES_<LOGIN>_PASSWORD=…}) that compose reads from {@code infra/.env} and the
 * all-in-one from its data directory. Missing passwords are generated and the file rewritten; present ones are kept,
 * so restarts keep working.
 *
 * @param file      the file's name in the key directory
 * @param what      what the passwords are for, for its first line and messages
 * @param logins    the logins that have one
 * @param variable  each login's variable
 * @param complete  the known passwords completed with generated ones for every login
 */
record PasswordsFile(
        String file,
        String what,
        List<String> logins,
        UnaryOperator<String> variable,
        Function<Map<String, String>, Map<String, String>> complete) {

    /** The SCRAM-SHA-512 passwords of the Kafka principals: {@code KAFKA_<PRINCIPAL>_PASSWORD}. */
    static final PasswordsFile KAFKA = new PasswordsFile(
            "kafka.env",
            "Kafka SCRAM-SHA-512 passwords of this platform's principals",
            KafkaCredentials.principals(),
            principal -> "KAFKA_" + upper(principal) + "_PASSWORD",
            known -> KafkaCredentials.of(known).all());

    /**
     * The PostgreSQL logins' passwords: {@code POSTGRES_<LOGIN>_PASSWORD}, and {@code POSTGRES_PASSWORD} for the
     * superuser (the variable the postgres image reads).
     */
    static final PasswordsFile POSTGRES = new PasswordsFile(
            "postgres.env",
            "PostgreSQL passwords of this platform's logins",
            DatabaseCredentials.logins(),
            login -> login.equals(DatabaseRoles.SUPERUSER)
                    ? "POSTGRES_PASSWORD"
                    : "POSTGRES_" + upper(login) + "_PASSWORD",
            known -> DatabaseCredentials.of(known).all());

    /**
     * The management token ({@code SOVEREIGN_MANAGEMENT_TOKEN}): what reads the services' {@code /metrics} and
     * {@code /health} details, and what Prometheus sends.
     */
    static final PasswordsFile MANAGEMENT = new PasswordsFile(
            "management.env",
            "the management token that reads GET /metrics and the details of GET /health",
            List.of("management"),
            login -> "SOVEREIGN_MANAGEMENT_TOKEN",
            known -> ai.sovereign.testkit.GeneratedPasswords.complete(List.of("management"), known));

    /** The backup-service's AES-256 key ({@code BACKUP_ENCRYPTION_KEY}, base64 of 32 random bytes). */
    static final PasswordsFile BACKUP_KEY = new PasswordsFile(
            "backup.env",
            "the backup encryption key (AES-256, base64; keep a copy offline: backups cannot be read without it)",
            List.of("backup"),
            login -> "BACKUP_ENCRYPTION_KEY",
            known -> known.containsKey("backup") ? Map.copyOf(known) : Map.of("backup", randomKey()));

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    /** Every login's password from {@code directory}'s file, generating (and writing) the missing ones. */
    Map<String, String> loadOrGenerate(Path directory) {
        Path path = directory.resolve(file);
        try {
            Files.createDirectories(directory);
            Properties stored = new Properties();
            if (Files.exists(path)) {
                stored.load(new StringReader(Files.readString(path, StandardCharsets.UTF_8)));
            }
            Map<String, String> known = new HashMap<>();
            for (String login : logins) {
                String password = stored.getProperty(variable.apply(login));
                if (password != null) {
                    known.put(login, password.strip());
                }
            }
            Map<String, String> passwords = complete.apply(known);
            if (!known.equals(passwords)) {
                StringBuilder lines = new StringBuilder("# " + what + " (docs/security.md)\n");
                passwords.forEach((login, password) -> lines.append(variable.apply(login))
                        .append('=')
                        .append(password)
                        .append('\n'));
                OwnerOnlyFiles.write(path, lines.toString());
            }
            return passwords;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the " + what + " in " + path, e);
        }
    }

    /**
     * Every login's password from {@code environment}'s variables, or the names of the variables that are missing
     * (in {@code missing}, and an empty result).
     */
    Map<String, String> fromEnvironment(Map<String, String> environment, List<String> missing) {
        Map<String, String> passwords = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (String login : logins) {
            String password = environment.get(variable.apply(login));
            if (password == null || password.isBlank()) {
                absent.add(variable.apply(login));
            } else {
                passwords.put(login, password.strip());
            }
        }
        missing.addAll(absent);
        return absent.isEmpty() ? passwords : Map.of();
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
