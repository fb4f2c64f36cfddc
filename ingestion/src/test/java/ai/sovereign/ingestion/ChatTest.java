package ai.sovereign.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.Topics;
import ai.sovereign.ingestion.support.IngestionClient;
import ai.sovereign.ingestion.support.IngestionClient.Part;
import ai.sovereign.ingestion.support.IngestionTestProperties;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.testkit.SharedInfrastructure;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** RAG chat against the LLM simulator standing in for the router: grounded answers, citations, streaming, no invention. */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatTest implements TestPropertyProvider {

    private LlmSimulator simulator;

    @Inject
    EmbeddedServer server;

    final ServiceTokenSigner tokens = ServiceTokenSigner.development("gateway", java.time.Clock.systemUTC());

    private IngestionClient client;
    private String sourceId;

    @Override
    public Map<String, String> getProperties() {
        simulator = LlmSimulator.start(SimulatorConfig.defaults().withPort(0).withModels("llama3.1:8b"));
        Map<String, String> props = new HashMap<>(IngestionTestProperties.fresh());
        props.put("ingestion.router.url", simulator.baseUrl());
        props.put("ingestion.chat.min-relevance", "0.3");
        return props;
    }

    @BeforeAll
    void uploadAKnowledgeBase() {
        client = client("t-" + UUID.randomUUID());
        IngestionClient.Response upload = client.upload(new Part(
                "rivers.txt",
                "text/plain",
                "The Danube is Europe's second-longest river. It flows through Vienna, Bratislava, Budapest and Belgrade into the Black Sea."
                        .getBytes(StandardCharsets.UTF_8)));
        sourceId = upload.json().path("sources").get(0).path("id").asString();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.get("/api/v1/sources/" + sourceId)
                        .json()
                        .path("status")
                        .asString()
                        .equals("ready"));
    }

    @AfterAll
    void stopSimulator() {
        simulator.close();
    }

    private IngestionClient client(String tenant) {
        return new IngestionClient(
                server.getURI(), tokens.issue("ingestion", "key-" + tenant, tenant, Role.USER, Duration.ofHours(1)));
    }

    @Test
    void answersFromRetrievedChunksWithCitationsPointingAtSourceAndPosition() {
        long before = simulator.metrics().requests(Endpoint.OPENAI_CHAT);
        IngestionClient.Response response = client.post(
                "/api/v1/chat", Map.of("question", "Which cities does the Danube flow through?", "top_k", 3));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("answer").asString()).isNotBlank();
        assertThat(body.path("model_called").asBoolean()).isTrue();
        JsonNode first = body.path("citations").get(0);
        assertThat(first.path("number").asInt()).isEqualTo(1);
        assertThat(first.path("source_id").asString()).isEqualTo(sourceId);
        assertThat(first.path("source_name").asString()).isEqualTo("rivers.txt");
        assertThat(first.path("position").asInt()).isZero();
        assertThat(simulator.metrics().requests(Endpoint.OPENAI_CHAT)).isEqualTo(before + 1);
    }

    @Test
    void saysSoWithoutCallingTheModelWhenNothingRelevantIsFound() {
        long before = simulator.metrics().requests(Endpoint.OPENAI_CHAT);
        JsonNode unrelated = client.post(
                        "/api/v1/chat", Map.of("question", "What is a good recipe for sourdough bread?"))
                .json();
        assertThat(unrelated.path("model_called").asBoolean()).isFalse();
        assertThat(unrelated.path("citations").size()).isZero();
        assertThat(unrelated.path("answer").asString()).contains("could not find anything relevant");

        JsonNode otherTenant = client("t-" + UUID.randomUUID())
                .post("/api/v1/chat", Map.of("question", "Which cities does the Danube flow through?"))
                .json();
        assertThat(otherTenant.path("model_called").asBoolean()).isFalse();
        assertThat(simulator.metrics().requests(Endpoint.OPENAI_CHAT)).isEqualTo(before);
    }

    @Test
    void streamsCitationsThenTextDeltasAsServerSentEvents() {
        IngestionClient.Response response =
                client.post("/api/v1/chat", Map.of("question", "Where does the Danube end?", "stream", true));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
        String events = response.body();
        assertThat(events)
                .contains("event: citations")
                .contains(sourceId)
                .contains("event: delta")
                .contains("event: done");
        assertThat(events.indexOf("event: citations")).isLessThan(events.indexOf("event: delta"));
    }

    @Test
    void uploadsSearchesAndChatsAreAuditedWithoutTheQuestionText() {
        String tenant = "t-" + UUID.randomUUID();
        IngestionClient audited = client(tenant);
        audited.post("/api/v1/chat", Map.of("question", "Which cities does the Danube flow through?"));
        audited.post("/api/v1/search", Map.of("query", "Danube", "mode", "keyword"));
        List<AuditEvent> seen = new ArrayList<>();
        EventCodec codec = new EventCodec();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                SharedInfrastructure.kafkaOperatorSettings(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "audit-check-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    AuditEvent event = codec.decode(r.value(), AuditEvent.class).data();
                    if (event.tenant().equals(tenant)) {
                        seen.add(event);
                    }
                });
                return seen.stream()
                        .map(AuditEvent::action)
                        .toList()
                        .containsAll(List.of("ingestion.chat", "ingestion.search"));
            });
        }
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("key-" + tenant);
            assertThat(e.details()).doesNotContainKeys("question", "query");
        });
    }

    @Test
    void rejectsAMissingQuestionWith400() {
        assertThat(client.post("/api/v1/chat", Map.of("top_k", 3)).status()).isEqualTo(400);
        assertThat(client.post("/api/v1/chat", Map.of("question", "x", "top_k", 99))
                        .status())
                .isEqualTo(400);
    }
}
