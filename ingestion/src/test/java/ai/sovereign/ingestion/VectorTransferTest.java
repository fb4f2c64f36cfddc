package ai.sovereign.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.ingestion.support.IngestionClient;
import ai.sovereign.ingestion.support.IngestionClient.Part;
import ai.sovereign.ingestion.support.IngestionTestProperties;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backup-service's vectors contract (docs/backup.md) over HTTP: export → wipe → import → the same chunks are found
 * and a fresh export has the same content hash (the backup-service's order-independent sum of line hashes).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VectorTransferTest implements TestPropertyProvider {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String NDJSON = "application/x-ndjson";
    private static final String EXPORT = "/api/v1/admin/vectors/export";
    private static final String IMPORT = "/api/v1/admin/vectors/import?mode=replace";
    private static final String SCRATCH = "/api/v1/admin/vectors/import?mode=scratch";

    @Inject
    EmbeddedServer server;

    final ServiceTokenSigner tokens = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC());

    @Inject
    ApplicationContext context;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = IngestionTestProperties.fresh();
        props.put("ingestion.chunking.max-tokens", "32");
        props.put("ingestion.chunking.overlap-tokens", "4");
        return props;
    }

    private IngestionClient as(String tenant, Role role) {
        return new IngestionClient(
                server.getURI(), tokens.issue("ingestion", "key-" + tenant, tenant, role, Duration.ofHours(1)));
    }

    private static String ready(IngestionClient client, String name, String text) {
        IngestionClient.Response upload =
                client.upload(new Part(name, "text/plain", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(upload.status()).as(upload.body()).isEqualTo(202);
        String id = upload.json().path("sources").get(0).path("id").asString();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> client.get("/api/v1/sources/" + id)
                                .json()
                                .path("status")
                                .asString(),
                        s -> s.equals("ready"));
        return id;
    }

    /** The backup-service's content hash: SHA-256 of each canonical line, summed modulo 2^256. */
    private static String contentHash(List<String> lines) throws Exception {
        BigInteger sum = BigInteger.ZERO;
        for (String line : lines) {
            byte[] canonical = JSON.writeValueAsBytes(JSON.readTree(line));
            sum = sum.add(new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(canonical)));
        }
        return sum.mod(BigInteger.TWO.pow(256)).toString(16);
    }

    private static List<String> lines(IngestionClient.Response export) {
        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.contentType()).startsWith(NDJSON);
        return export.body().lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    void exportWipeImportRestoresEveryVectorOfEveryTenant() throws Exception {
        String tenantA = "t-" + UUID.randomUUID();
        String tenantB = "t-" + UUID.randomUUID();
        IngestionClient a = as(tenantA, Role.USER);
        IngestionClient b = as(tenantB, Role.USER);
        IngestionClient admin = as("_platform", Role.ADMIN);
        String tides = ready(
                a,
                "tides.txt",
                "The gravitational pull of the Moon raises ocean tides twice a day.\n\n"
                        + "Spring tides happen when the Sun and the Moon line up; neap tides when they stand at right angles.\n\n"
                        + "The Bay of Fundy has the highest tidal range in the world, about sixteen metres.");
        String bees = ready(
                b,
                "bees.txt",
                "Honey bees communicate the direction of flowers with a waggle dance.\n\n"
                        + "A colony has one queen, thousands of workers and a few hundred drones in summer.");

        List<String> exported = lines(admin.get(EXPORT));
        long chunks = a.get("/api/v1/sources/" + tides).json().path("chunks").asLong()
                + b.get("/api/v1/sources/" + bees).json().path("chunks").asLong();
        // other tests of this class may have added their own tenant's vectors to the store
        assertThat(exported.stream().filter(line -> List.of(tenantA, tenantB).contains(tenantOf(line))))
                .hasSize((int) chunks);
        JsonNode first = JSON.readTree(exported.getFirst());
        assertThat(first.path("collection").asString()).isEqualTo("chunks_all_minilm_l6_v2");
        assertThat(first.path("vector").size()).isEqualTo(384);
        assertThat(JSON.readTree(exported.getFirst()).path("fields").properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("tenant", "source_id", "position");
        List<String> before = a.searchSourceIds("highest tidal range", "vector", 10);
        assertThat(before).first().isEqualTo(tides);
        List<String> chunkIdsBefore = chunkIds(a, "highest tidal range");

        // wipe: replacing with nothing
        IngestionClient.Response wiped = admin.post(IMPORT, NDJSON, new byte[0]);
        assertThat(wiped.status()).as(wiped.body()).isEqualTo(200);
        assertThat(wiped.json().path("imported").asLong()).isZero();
        assertThat(a.searchSourceIds("highest tidal range", "vector", 10)).isEmpty();
        assertThat(lines(admin.get(EXPORT))).isEmpty();

        IngestionClient.Response imported =
                admin.post(IMPORT, NDJSON, String.join("\n", exported).getBytes(StandardCharsets.UTF_8));
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().path("imported").asLong()).isEqualTo(exported.size());
        assertThat(chunkIds(a, "highest tidal range")).isEqualTo(chunkIdsBefore);
        assertThat(b.searchSourceIds("waggle dance of honey bees", "vector", 10))
                .containsOnly(bees);
        assertThat(a.searchSourceIds("waggle dance of honey bees", "vector", 10))
                .doesNotContain(bees);
        assertThat(contentHash(lines(admin.get(EXPORT)))).isEqualTo(contentHash(exported));
    }

    private static String tenantOf(String line) {
        return JSON.readTree(line).path("fields").path("tenant").asString();
    }

    private static List<String> chunkIds(IngestionClient client, String query) {
        return client.post("/api/v1/search", Map.of("query", query, "mode", "vector", "top_k", 10))
                .json()
                .path("data")
                .valueStream()
                .map(h -> h.path("chunk_id").asString())
                .toList();
    }

    @Test
    void aBadLineAnywhereChangesNothing() {
        String tenant = "t-" + UUID.randomUUID();
        IngestionClient user = as(tenant, Role.USER);
        IngestionClient admin = as("_platform", Role.ADMIN);
        ready(user, "comets.txt", "A comet's tail always points away from the Sun, pushed by the solar wind.");
        List<String> exported = lines(admin.get(EXPORT));
        String good = exported.getFirst();

        String wrongCollection = good.replace("chunks_all_minilm_l6_v2", "chunks_nomic_embed_text");
        String shortVector = good.replaceFirst("\"vector\":\\[[^,]+,", "\"vector\":[");
        for (String bad : List.of("{not json", wrongCollection, shortVector, "[1,2,3]")) {
            IngestionClient.Response response =
                    admin.post(IMPORT, NDJSON, (good + "\n" + bad + "\n").getBytes(StandardCharsets.UTF_8));
            assertThat(response.status()).as(bad).isEqualTo(400);
            assertThat(response.json().path("error").path("message").asString()).startsWith("line 2:");
        }
        assertThat(admin.post("/api/v1/admin/vectors/import?mode=merge", NDJSON, good.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
        assertThat(admin.post("/api/v1/admin/vectors/import", NDJSON, good.getBytes(StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(400);
        assertThat(user.get(EXPORT).status()).isEqualTo(403);
        assertThat(user.post(IMPORT, NDJSON, new byte[0]).status()).isEqualTo(403);
        assertThat(new IngestionClient(server.getURI(), null).get(EXPORT).status())
                .isEqualTo(401);
        assertThat(lines(admin.get(EXPORT))).containsExactlyInAnyOrderElementsOf(exported);
        assertThat(user.searchSourceIds("comet tail and the solar wind", "vector", 5))
                .isNotEmpty();
    }

    /** The backup-service's verification by restore: into a scratch store, read back, dropped; the serving store is untouched. */
    @Test
    void scratchImportAnswersWhatAScratchStoreHoldsAndLeavesTheServingStoreAlone() throws Exception {
        String tenant = "t-" + UUID.randomUUID();
        IngestionClient user = as(tenant, Role.USER);
        IngestionClient service = new IngestionClient(
                server.getURI(),
                ServiceTokenSigner.development("backup-service", java.time.Clock.systemUTC())
                        .issue("ingestion", "backup-service", "_platform", Role.SERVICE, Duration.ofMinutes(5)));
        ready(
                user,
                "volcanoes.txt",
                "Shield volcanoes are built by fluid basalt lava flows, like Mauna Loa on Hawaii.\n\n"
                        + "Stratovolcanoes erupt explosively because their andesitic magma is viscous and holds gas.");
        List<String> exported = lines(service.get(EXPORT));
        List<String> ours =
                exported.stream().filter(line -> tenantOf(line).equals(tenant)).toList();
        assertThat(ours).isNotEmpty();

        List<String> restored =
                lines(service.post(SCRATCH, NDJSON, String.join("\n", exported).getBytes(StandardCharsets.UTF_8)));
        assertThat(restored).hasSameSizeAs(exported);
        assertThat(contentHash(restored)).isEqualTo(contentHash(exported));

        // only part of it: the scratch store holds just that part, the serving store still holds everything
        List<String> part =
                lines(service.post(SCRATCH, NDJSON, (ours.getFirst() + "\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(part).hasSize(1);
        assertThat(contentHash(part)).isEqualTo(contentHash(List.of(ours.getFirst())));
        assertThat(lines(service.get(EXPORT))).containsExactlyInAnyOrderElementsOf(exported);
        assertThat(user.searchSourceIds("viscous andesitic magma", "vector", 5)).isNotEmpty();

        IngestionClient.Response bad =
                service.post(SCRATCH, NDJSON, (ours.getFirst() + "\n{not json\n").getBytes(StandardCharsets.UTF_8));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asString()).startsWith("line 2:");
        assertThat(user.post(SCRATCH, NDJSON, new byte[0]).status()).isEqualTo(403);

        Path tmp = Path.of(context.getRequiredProperty("ingestion.data-dir", String.class))
                .resolve("tmp");
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!Files.isDirectory(tmp)) {
                        return true;
                    }
                    try (Stream<Path> left = Files.list(tmp)) {
                        return left.noneMatch(p -> p.getFileName().toString().startsWith("scratch-"));
                    }
                });
    }
}
