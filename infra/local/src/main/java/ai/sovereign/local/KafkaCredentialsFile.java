package ai.sovereign.local;

import ai.sovereign.runtime.files.OwnerOnlyFiles;
import ai.sovereign.testkit.KafkaCredentials;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A platform's Kafka passwords on disk, {@value #FILE} in a key directory (mode 600), as environment lines
 * ({@code KAFKA_<PRINCIPAL>_PASSWORD=…}) that compose reads from {@code infra/.env} and the all-in-one from its data
 * directory. Missing passwords are generated and the file rewritten; present ones are kept, so restarts keep working.
 */
final class KafkaCredentialsFile {

    static final String FILE = "kafka.env";

    private KafkaCredentialsFile() {}

    static KafkaCredentials loadOrGenerate(Path directory) {
        Path file = directory.resolve(FILE);
        try {
            Files.createDirectories(directory);
            Properties stored = new Properties();
            if (Files.exists(file)) {
                stored.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            }
            Map<String, String> known = new HashMap<>();
            KafkaCredentials.principals().forEach(principal -> {
                String password = stored.getProperty(variable(principal));
                if (password != null) {
                    known.put(principal, password.strip());
                }
            });
            KafkaCredentials credentials = KafkaCredentials.of(known);
            if (!known.equals(credentials.all())) {
                StringBuilder lines = new StringBuilder(
                        "# Kafka SCRAM-SHA-512 passwords of this platform's principals (docs/security.md)\n");
                credentials
                        .all()
                        .forEach((principal, password) -> lines.append(variable(principal))
                                .append('=')
                                .append(password)
                                .append('\n'));
                OwnerOnlyFiles.write(file, lines.toString());
            }
            return credentials;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Kafka passwords in " + file, e);
        }
    }

    /** {@code KAFKA_<PRINCIPAL>_PASSWORD}, e.g. {@code KAFKA_BACKUP_SERVICE_PASSWORD}. */
    static String variable(String principal) {
        return "KAFKA_" + principal.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
    }
}
