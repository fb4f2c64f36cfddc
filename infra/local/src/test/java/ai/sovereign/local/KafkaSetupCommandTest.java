package ai.sovereign.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.KafkaAccess;
import ai.sovereign.events.Topics;
import ai.sovereign.testkit.KafkaCredentials;
import ai.sovereign.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keys} writes the Kafka passwords compose and Kubernetes use; {@code kafka-setup} applies them to a broker. */
class KafkaSetupCommandTest {

    @Test
    void theKeysCommandWritesOnePasswordPerPrincipalReadableByItsOwnerOnlyAndKeepsThem(@TempDir Path dir)
            throws Exception {
        SovereignLocal.main(new String[] {"keys", dir.toString()});
        Path file = dir.resolve(PasswordsFile.KAFKA.file());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String first = Files.readString(file);
        for (String principal : KafkaCredentials.principals()) {
            assertTrue(first.contains(PasswordsFile.KAFKA.variable().apply(principal) + "="), principal);
        }
        SovereignLocal.main(new String[] {"keys", dir.toString()});
        assertEquals(first, Files.readString(file));
    }

    @Test
    void kafkaSetupNamesEveryMissingPasswordAndChangesNothing() {
        Map<String, String> environment =
                environment(SharedInfrastructure.kafka().credentials());
        environment.remove("KAFKA_ROUTER_PASSWORD");
        assertEquals(64, SovereignLocal.setUpKafka(new String[] {"kafka-setup", internalListener()}, environment));
        assertEquals(64, SovereignLocal.setUpKafka(new String[] {"kafka-setup"}, environment));
    }

    @Test
    void kafkaSetupAppliesTheUsersAndAclsSoAServiceLogsInAndWritesItsTopic() throws Exception {
        KafkaCredentials credentials = SharedInfrastructure.kafka().credentials();
        assertEquals(
                0,
                SovereignLocal.setUpKafka(new String[] {"kafka-setup", internalListener()}, environment(credentials)));
        Map<String, Object> settings = SharedInfrastructure.kafka().clientSettings("gpu-agent");
        try (var producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.GPU_TELEMETRY, "host-setup", "{}"))
                    .get();
        }
    }

    @Test
    void aWrongAdminPasswordFailsWithExitCode1() {
        Map<String, String> environment =
                environment(SharedInfrastructure.kafka().credentials());
        environment.put("KAFKA_ADMIN_PASSWORD", "not-the-admin-password");
        assertEquals(1, SovereignLocal.setUpKafka(new String[] {"kafka-setup", internalListener()}, environment));
    }

    private static String internalListener() {
        return String.valueOf(SharedInfrastructure.kafka().adminSettings().get("bootstrap.servers"));
    }

    private static Map<String, String> environment(KafkaCredentials credentials) {
        Map<String, String> environment = new HashMap<>();
        credentials
                .all()
                .forEach((principal, password) ->
                        environment.put(PasswordsFile.KAFKA.variable().apply(principal), password));
        assertEquals(KafkaAccess.servicePrincipals().size() + 1, environment.size());
        return environment;
    }
}
