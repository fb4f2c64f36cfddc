package ai.sovereign.ingestion.support;

import ai.sovereign.testkit.DatabaseRoles;
import ai.sovereign.testkit.SharedInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Properties of an ingestion service on the shared real servers: a fresh database, data directory and consumer group. */
public final class IngestionTestProperties {

    private IngestionTestProperties() {}

    public static Map<String, String> fresh() {
        Map<String, String> props = new HashMap<>();
        SharedInfrastructure.postgresProperties(DatabaseRoles.INGESTION)
                .forEach((k, v) -> props.put(k, String.valueOf(v)));
        SharedInfrastructure.kafkaProperties("ingestion").forEach((k, v) -> props.put(k, String.valueOf(v)));
        SharedInfrastructure.neo4jProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        try {
            props.put(
                    "ingestion.data-dir",
                    Files.createTempDirectory("ingestion-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put("ingestion.worker.group-id", "ingestion-test-" + UUID.randomUUID());
        return props;
    }
}
