package ai.sovereign.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.events.IngestionJob;
import ai.sovereign.events.UuidV7;
import ai.sovereign.ingestion.graph.KnowledgeGraph;
import ai.sovereign.ingestion.pipeline.JobPublisher;
import ai.sovereign.ingestion.support.Fixtures;
import ai.sovereign.ingestion.support.IngestionClient;
import ai.sovereign.ingestion.support.IngestionClient.Part;
import ai.sovereign.ingestion.support.IngestionTestProperties;
import ai.sovereign.ingestion.vector.VectorStore;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** Upload → Kafka job → parse, chunk, embed, store → search, on real Kafka, PostgreSQL and Neo4j. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionFlowTest implements TestPropertyProvider {

    private static final List<String> MODES = List.of("vector", "keyword", "hybrid", "graph");

    @Inject
    EmbeddedServer server;

    final ServiceTokenSigner tokens = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC());

    @Inject
    VectorStore vectors;

    @Inject
    KnowledgeGraph graph;

    @Inject
    JobPublisher jobs;

    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>(IngestionTestProperties.fresh());
        props.put("ingestion.upload.max-file-bytes", "1000000");
        props.put("ingestion.chunking.max-tokens", "128");
        props.put("ingestion.chunking.overlap-tokens", "16");
        return props;
    }

    private IngestionClient tenant(String tenant) {
        return new IngestionClient(
                server.getURI(), tokens.issue("ingestion", "key-" + tenant, tenant, Role.USER, Duration.ofHours(1)));
    }

    private static String newTenant() {
        return "t-" + UUID.randomUUID();
    }

    private static Part text(String name, String content) {
        return new Part(name, "text/plain", content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(IngestionClient.Response upload) {
        assertThat(upload.status()).as(upload.body()).isEqualTo(202);
        return upload.json()
                .path("sources")
                .valueStream()
                .map(s -> s.path("id").asString())
                .toList();
    }

    /** Source ids by file name (parts may complete out of order, so the response names each file). */
    private static Map<String, String> idsByName(IngestionClient.Response upload) {
        assertThat(upload.status()).as(upload.body()).isEqualTo(202);
        Map<String, String> byName = new HashMap<>();
        upload.json()
                .path("sources")
                .valueStream()
                .forEach(s -> byName.put(s.path("name").asString(), s.path("id").asString()));
        return byName;
    }

    private static JsonNode awaitFinal(IngestionClient client, String id) {
        return await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> client.get("/api/v1/sources/" + id).json(),
                        s -> s.path("status").asString().equals("ready")
                                || s.path("status").asString().equals("failed"));
    }

    @Test
    void everyFileTypeBecomesReadyAndIsFoundByEverySearchMode() {
        IngestionClient client = tenant(newTenant());
        Map<String, String> byName = idsByName(client.upload(
                text(
                        "plants.txt",
                        "Photosynthesis turns sunlight into sugar.\n\nChlorophyll in the leaves of plants absorbs red and blue light."),
                new Part(
                        "volcanoes.md",
                        "text/markdown",
                        ("# Volcanoes\n\nMagma rises through the crust and an eruption throws ash "
                                        + "and lava over the slopes of Mount Etna.\n\n## Hazards\n\nPyroclastic flows move at 100 km/h.")
                                .getBytes(StandardCharsets.UTF_8)),
                new Part(
                        "jazz.html",
                        "text/html",
                        ("<html><head><title>Jazz</title></head><body><h1>Jazz</h1><p>The saxophone solo of "
                                        + "Charlie Parker shaped bebop improvisation.</p><p>Swing rhythm drives the band.</p></body></html>")
                                .getBytes(StandardCharsets.UTF_8)),
                new Part(
                        "glaciers.pdf",
                        "application/pdf",
                        Fixtures.pdf(
                                "Glaciers and ice sheets are melting.",
                                "The Greenland ice sheet loses mass every summer.")),
                new Part(
                        "crypto.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        Fixtures.docx(
                                "Elliptic curve cryptography secures TLS.",
                                "The NIST P-256 curve is widely deployed."))));
        List<String> ids = List.of(
                byName.get("plants.txt"),
                byName.get("volcanoes.md"),
                byName.get("jazz.html"),
                byName.get("glaciers.pdf"),
                byName.get("crypto.docx"));
        assertThat(ids).doesNotContainNull().doesNotHaveDuplicates();
        for (String id : ids) {
            JsonNode source = awaitFinal(client, id);
            assertThat(source.path("status").asString()).as(source.toString()).isEqualTo("ready");
            assertThat(source.path("chunks").asInt()).isPositive();
            assertThat(source.path("bytes").asLong()).isPositive();
        }
        Map<String, String> queries = Map.of(
                "chlorophyll photosynthesis in leaves", ids.get(0),
                "magma eruption of a volcano", ids.get(1),
                "saxophone improvisation in bebop jazz", ids.get(2),
                "melting glaciers and the Greenland ice sheet", ids.get(3),
                "elliptic curve cryptography", ids.get(4));
        queries.forEach((query, expected) -> {
            for (String mode : MODES) {
                assertThat(client.searchSourceIds(query, mode, 3))
                        .as(mode + ": " + query)
                        .isNotEmpty()
                        .first()
                        .isEqualTo(expected);
            }
        });
        JsonNode hit = client.post(
                        "/api/v1/search", Map.of("query", "Greenland ice sheet", "mode", "hybrid", "top_k", 1))
                .json()
                .path("data")
                .get(0);
        assertThat(hit.path("source_name").asString()).isEqualTo("glaciers.pdf");
        assertThat(hit.path("text").asString()).contains("Greenland");
        assertThat(hit.path("position").asInt()).isZero();
        assertThat(client.get("/api/v1/sources?page=0&size=2")
                        .json()
                        .path("total")
                        .asLong())
                .isEqualTo(5);
        assertThat(client.get("/api/v1/sources?page=0&size=2")
                        .json()
                        .path("data")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void aDeletedSourceIsGoneFromEveryModeAndEveryStore() {
        String tenantName = newTenant();
        IngestionClient client = tenant(tenantName);
        String id = ids(client.upload(text(
                        "turbines.txt",
                        "Wind turbines convert kinetic energy into electricity. "
                                + "Offshore wind farms in the North Sea produce 30 GW.")))
                .getFirst();
        assertThat(awaitFinal(client, id).path("status").asString()).isEqualTo("ready");
        assertThat(vectors.count(tenantName, id)).isPositive();

        assertThat(client.delete("/api/v1/sources/" + id).status()).isEqualTo(204);

        assertThat(client.get("/api/v1/sources/" + id).status()).isEqualTo(404);
        for (String mode : MODES) {
            assertThat(client.searchSourceIds("wind turbines offshore electricity", mode, 5))
                    .as(mode)
                    .doesNotContain(id);
        }
        assertThat(vectors.count(tenantName, id)).isZero();
        assertThat(graph.counts(tenantName, id)).containsEntry("sources", 0L).containsEntry("chunks", 0L);
        assertThat(client.delete("/api/v1/sources/" + id).status()).isEqualTo(404);
    }

    @Test
    void aTenantNeverSeesAnotherTenantsChunksInAnyMode() {
        IngestionClient a = tenant(newTenant());
        IngestionClient b = tenant(newTenant());
        String idA = ids(a.upload(text("a.txt", "The quarterly revenue of Acme Corporation grew by 12%.")))
                .getFirst();
        String idB = ids(b.upload(text("b.txt", "The quarterly revenue of Globex Corporation fell by 3%.")))
                .getFirst();
        assertThat(awaitFinal(a, idA).path("status").asString()).isEqualTo("ready");
        assertThat(awaitFinal(b, idB).path("status").asString()).isEqualTo("ready");

        for (String mode : MODES) {
            assertThat(a.searchSourceIds("quarterly revenue corporation", mode, 10))
                    .as(mode)
                    .containsExactly(idA);
            assertThat(b.searchSourceIds("quarterly revenue corporation", mode, 10))
                    .as(mode)
                    .containsExactly(idB);
        }
        assertThat(a.get("/api/v1/sources/" + idB).status()).isEqualTo(404);
        assertThat(a.delete("/api/v1/sources/" + idB).status()).isEqualTo(404);
        assertThat(a.get("/api/v1/sources")
                        .json()
                        .path("data")
                        .valueStream()
                        .map(s -> s.path("id").asString())
                        .toList())
                .containsExactly(idA);
        Map<String, Object> filtered =
                Map.of("query", "quarterly revenue", "mode", "vector", "filters", Map.of("source_ids", List.of(idB)));
        assertThat(a.post("/api/v1/search", filtered).json().path("data").size())
                .isZero();
    }

    @Test
    void thePoisonSetFailsCleanlyWhileTheGoodFileInTheSameBatchSucceeds() {
        IngestionClient client = tenant(newTenant());
        Map<String, String> byName = idsByName(client.upload(
                new Part("corrupt.pdf", "application/pdf", Fixtures.corruptPdf()),
                new Part("locked.pdf", "application/pdf", Fixtures.encryptedPdf("secret plans")),
                new Part(
                        "bomb.docx",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        Fixtures.zipBombDocx()),
                new Part("empty.txt", "text/plain", new byte[0]),
                new Part("garbage.txt", "text/plain", Fixtures.garbage(20_000)),
                text("good.txt", "Honey bees communicate the direction of flowers with a waggle dance.")));
        List<String> ids = List.of(
                byName.get("corrupt.pdf"),
                byName.get("locked.pdf"),
                byName.get("bomb.docx"),
                byName.get("empty.txt"),
                byName.get("garbage.txt"),
                byName.get("good.txt"));
        Map<String, String> expectedReason = Map.of(
                ids.get(0),
                "could not parse",
                ids.get(1),
                "encrypted",
                ids.get(2),
                "zip bomb",
                ids.get(3),
                "empty",
                ids.get(4),
                "binary");
        expectedReason.forEach((id, reason) -> {
            JsonNode source = awaitFinal(client, id);
            assertThat(source.path("status").asString()).as(source.toString()).isEqualTo("failed");
            assertThat(source.path("reason").asString()).as(source.toString()).containsIgnoringCase(reason);
        });
        assertThat(awaitFinal(client, ids.get(5)).path("status").asString()).isEqualTo("ready");
        assertThat(client.searchSourceIds("waggle dance of honey bees", "hybrid", 10))
                .containsExactly(ids.get(5));
    }

    @Test
    void anOversizedFileIs413AndAnUnsupportedTypeIs415AndNothingIsStored() {
        IngestionClient client = tenant(newTenant());
        IngestionClient.Response tooLarge =
                client.upload(text("small.txt", "fine"), new Part("big.txt", "text/plain", new byte[1_000_001]));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().path("error").path("message").asString()).contains("big.txt");
        IngestionClient.Response unsupported = client.upload(new Part("photo.png", "image/png", Fixtures.garbage(100)));
        assertThat(unsupported.status()).isEqualTo(415);
        assertThat(unsupported.json().path("error").path("message").asString()).contains("photo.png");
        assertThat(client.upload().status()).isEqualTo(400);
        IngestionClient.Response truncated = client.post(
                "/api/v1/sources/upload",
                "multipart/form-data; boundary=xyz",
                "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.txt\"\r\n\r\nno closing boundary"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(truncated.status()).as(truncated.body()).isEqualTo(400);
        assertThat(truncated.json().path("error").path("param").asString()).isEqualTo("file");
        IngestionClient.Response noBoundary =
                client.post("/api/v1/sources/upload", "multipart/form-data", new byte[] {1, 2});
        assertThat(noBoundary.status()).as(noBoundary.body()).isEqualTo(400);
        assertThat(client.get("/api/v1/sources").json().path("total").asLong()).isZero();
        assertThat(new IngestionClient(server.getURI(), null)
                        .get("/api/v1/sources")
                        .status())
                .isEqualTo(401);
        assertThat(client.post("/api/v1/search", Map.of("query", "x", "mode", "fuzzy"))
                        .status())
                .isEqualTo(400);
        assertThat(client.post("/api/v1/search", Map.of("query", "x", "top_k", 0))
                        .status())
                .isEqualTo(400);
        assertThat(client.post("/api/v1/search", Map.of("mode", "vector")).status())
                .isEqualTo(400);
    }

    @Test
    void aRedeliveredJobChangesNothing() {
        String tenantName = newTenant();
        IngestionClient client = tenant(tenantName);
        String id = ids(client.upload(
                        text("rivers.txt", "The Danube flows through Vienna and Budapest into the Black Sea.")))
                .getFirst();
        JsonNode ready = awaitFinal(client, id);
        long vectorsBefore = vectors.count(tenantName, id);
        Map<String, Long> graphBefore = graph.counts(tenantName, id);
        double skippedBefore = skipped();

        jobs.publish(new IngestionJob(
                UuidV7.generate().toString(),
                id,
                tenantName,
                IngestionJob.Action.INGEST,
                "rivers.txt",
                "text/plain",
                "0".repeat(64),
                10L,
                "/nowhere",
                "test",
                Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> skipped() > skippedBefore);

        assertThat(client.get("/api/v1/sources/" + id).json()).isEqualTo(ready);
        assertThat(vectors.count(tenantName, id)).isEqualTo(vectorsBefore);
        assertThat(graph.counts(tenantName, id)).isEqualTo(graphBefore);
        assertThat(client.searchSourceIds("Danube Vienna Budapest", "keyword", 10))
                .containsExactly(id);
    }

    @Test
    void aDeleteJobNamingAPathOutsideTheRawStoreDeletesNothingThere() throws Exception {
        // whoever can write ingestion.jobs.v1 names the path of a DELETE job: a file elsewhere must survive it
        java.nio.file.Path victim = java.nio.file.Files.createTempFile("not-ingestions", ".txt");
        java.nio.file.Files.writeString(victim, "keep me");
        double refusedBefore = refusedPaths();
        jobs.publish(new IngestionJob(
                UuidV7.generate().toString(),
                UuidV7.generate().toString(),
                newTenant(),
                IngestionJob.Action.DELETE,
                null,
                null,
                null,
                null,
                victim.toString(),
                "test",
                Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> refusedPaths() > refusedBefore);
        assertThat(victim).exists().hasContent("keep me");
    }

    private double refusedPaths() {
        return registry.find("ingestion_jobs_skipped").tag("why", "raw_path_outside_store").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void theSameContentIsStoredOnceAndANewVersionReplacesTheOldOne() {
        IngestionClient client = tenant(newTenant());
        byte[] v1 = "Version one of the handbook: the office opens at 8 am.".getBytes(StandardCharsets.UTF_8);
        String first =
                ids(client.upload(new Part("handbook.txt", "text/plain", v1))).getFirst();
        awaitFinal(client, first);
        IngestionClient.Response again = client.upload(new Part("handbook.txt", "text/plain", v1));
        assertThat(ids(again)).containsExactly(first);
        assertThat(again.json().path("sources").get(0).path("deduplicated").asBoolean())
                .isTrue();

        String second = ids(client.upload(
                        text("handbook.txt", "Version two of the handbook: the office opens at 9 am.")))
                .getFirst();
        assertThat(awaitFinal(client, second).path("status").asString()).isEqualTo("ready");
        assertThat(client.get("/api/v1/sources/" + first).status()).isEqualTo(404);
        assertThat(client.searchSourceIds("handbook office opens", "hybrid", 10))
                .containsExactly(second);
    }

    private double skipped() {
        return registry.find("ingestion_jobs_skipped").tag("why", "already_final").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
