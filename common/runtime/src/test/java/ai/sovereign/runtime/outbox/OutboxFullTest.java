package ai.sovereign.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.runtime.kafka.EventPublisher;
import ai.sovereign.testkit.FreePorts;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Kafka unreachable and the outbox filling up: every publish is on disk until the journal is full; then the service
 * refuses work that would cause events (503 {@code outbox_full}), still answers reads, and {@code /health} says why.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxFullTest implements TestPropertyProvider {

    @Inject
    EmbeddedServer server;

    @Inject
    EventPublisher publisher;

    @Inject
    Outbox outbox;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                    "sovereign.outbox.directory",
                            Files.createTempDirectory("outbox-full").toString(),
                    "sovereign.outbox.max-bytes", Integer.toString(1 << 20),
                    "sovereign.outbox.segment-bytes", Integer.toString(64 * 1024));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aFullOutboxRefusesNewWorkWith503AndHealthSaysWhy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, echo(http).statusCode(), "while the outbox has room, work is done");
        int published = 0;
        while (outbox.accepting()) {
            // each completes when it is on disk, with no broker anywhere
            publisher.publish(event("x".repeat(8_000))).get(10, TimeUnit.SECONDS);
            published++;
        }
        assertTrue(published > 100, "about 1 MiB of events went to disk: " + published);
        assertEquals(published, outbox.pendingEvents());

        HttpResponse<String> refused = echo(http);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"outbox_full\""), refused.body());
        assertEquals("30", refused.headers().firstValue("Retry-After").orElse(""));

        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(server.getURI() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(
                health.body().matches("(?s).*\"outbox\":\\{[^}]*\"status\":\"DOWN\".*outbox is full.*"), health.body());
    }

    private HttpResponse<String> echo(HttpClient http) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.getURI() + "/probe/echo"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"hi\",\"times\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CloudEvent<AuditEvent> event(String padding) {
        return CloudEvent.of(
                "/runtime-probe",
                "key-1",
                new AuditEvent(
                        "key-1",
                        AuditEvent.ActorType.API_KEY,
                        "acme",
                        "key.create",
                        "api_key",
                        "key-2",
                        AuditEvent.Outcome.SUCCESS,
                        null,
                        "req-1",
                        "127.0.0.1",
                        Map.of("padding", padding)));
    }
}
