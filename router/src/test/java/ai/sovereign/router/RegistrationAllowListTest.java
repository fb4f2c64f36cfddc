package ai.sovereign.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.events.AuditEvent;
import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.EventPayload;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.events.Topics;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.testkit.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Whoever can write {@code gpu.telemetry.v1} must not add a server of theirs to the fleet: a snapshot from a host
 * outside {@code router.registration.allowed-hosts} changes nothing, a server whose URL is outside
 * {@code allowed-urls} is not registered, and each refusal is counted and audited.
 */
class RegistrationAllowListTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void telemetryFromAnUnlistedHostOrNamingAnUnlistedUrlRegistersNothingAndIsAudited() {
        String trusted = "trusted-" + run;
        String intruder = "intruder-" + run;
        try (RouterHarness router = RouterHarness.start(
                        2,
                        RouterHarness.fastSettings(),
                        List.of(),
                        Map.of(
                                "router.registration.allowed-hosts", List.of("trusted-*"),
                                "router.registration.allowed-urls", List.of("127.0.0.0/8")),
                        ModelBehaviour.instant());
                KafkaProducer<String, byte[]> producer = TestKafka.producer();
                KafkaConsumer<String, byte[]> audit = TestKafka.consumer("registration-test")) {
            audit.subscribe(List.of(Topics.AUDIT_EVENTS));
            // the intruder names a server on this machine (an allowed URL): its host is not believed at all
            send(producer, intruder, server(intruder, "http://127.0.0.1:1"));
            // a trusted host reports one server in the allowed block and one outside it
            send(
                    producer,
                    trusted,
                    server(trusted, "http://127.0.0.2:11434"),
                    server(trusted, "http://attacker.example:11434"));

            MeterRegistry meters = router.context.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> refused(meters, "host") >= 1 && refused(meters, "url") >= 1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> registeredBy(router, trusted).size() == 1);
            assertEquals(List.of("http://127.0.0.2:11434"), registeredBy(router, trusted));
            assertEquals(List.of(), registeredBy(router, intruder));
            assertEquals(
                    404, router.admin("GET", "hosts/" + intruder, null).statusCode(), "an unlisted host is not known");

            EventCodec codec = new EventCodec();
            List<AuditEvent> refusals = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                audit.poll(Duration.ofMillis(200)).forEach(r -> {
                    EventPayload payload = codec.decode(r.value()).data();
                    if (payload instanceof AuditEvent a
                            && a.action().equals("router.registration.refused")
                            && a.resourceId().endsWith(run)) {
                        refusals.add(a);
                    }
                });
                return refusals.size() >= 2;
            });
            AuditEvent host = refusals.stream()
                    .filter(a -> a.resourceId().equals(intruder))
                    .findFirst()
                    .orElseThrow();
            assertEquals(AuditEvent.Outcome.DENIED, host.outcome());
            assertEquals("gpu-agent:" + intruder, host.actor());
            AuditEvent url = refusals.stream()
                    .filter(a -> a.resourceId().equals(trusted))
                    .findFirst()
                    .orElseThrow();
            assertTrue(url.reason().contains("attacker.example"), url.toString());
            assertEquals("http://attacker.example:11434", url.details().get("url"));
        }
    }

    private static double refused(MeterRegistry meters, String reason) {
        var counter = meters.find("orchestrator.registration.refused")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static List<String> registeredBy(RouterHarness router, String hostId) {
        List<String> urls = new java.util.ArrayList<>();
        for (JsonNode s : router.adminJson("GET", "servers", null).path("servers")) {
            if (("gpu-agent:" + hostId).equals(s.path("registeredBy").asString(""))) {
                urls.add(s.path("url").asString());
            }
        }
        return urls;
    }

    private static GpuTelemetry.ServerStatus server(String hostId, String url) {
        return new GpuTelemetry.ServerStatus(
                hostId + ":" + Math.abs(url.hashCode()),
                url,
                GpuTelemetry.ServerType.OLLAMA,
                4,
                true,
                null,
                List.of("qwen2.5:7b"),
                List.of(),
                null,
                null,
                null);
    }

    private static void send(
            KafkaProducer<String, byte[]> producer, String hostId, GpuTelemetry.ServerStatus... servers) {
        GpuTelemetry telemetry = new GpuTelemetry(
                hostId,
                "0.1.0",
                60,
                Instant.now(),
                new GpuTelemetry.GpuSourceStatus(GpuTelemetry.SourceState.OK, null),
                List.of(),
                new GpuTelemetry.HostStats(0.1, null, null, null, null, null),
                List.of(servers));
        producer.send(new ProducerRecord<>(
                Topics.GPU_TELEMETRY,
                hostId,
                new EventCodec().encode(CloudEvent.of("/test/gpu-agent", hostId, telemetry))));
        producer.flush();
    }
}
