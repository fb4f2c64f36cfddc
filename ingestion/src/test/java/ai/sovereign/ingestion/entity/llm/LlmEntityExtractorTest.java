package ai.sovereign.ingestion.entity.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.sovereign.ingestion.entity.Entity;
import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.metrics.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The LLM extractor against the llm-simulator speaking the OpenAI API, as the router does. The simulator answers a
 * forced tool call with arguments generated from the tool's JSON schema (valid), and anything else with words
 * (malformed); with tool choice {@code auto} it calls the tool only when the last user message starts with "call " —
 * which the extractor's retry message does. So: {@code required} → valid at once; {@code auto} → malformed, then
 * valid on the retry; {@code none} (JSON expected in the content) → malformed twice → skipped and counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmEntityExtractorTest {

    private static final String MODEL = "llama3.1:8b";
    private static final String TEXT = "NASA launched the Artemis rocket from Florida carrying 27 tonnes of cargo.";

    private LlmSimulator simulator;
    private SimpleMeterRegistry registry;

    @BeforeAll
    void start() {
        simulator =
                LlmSimulator.start(SimulatorConfig.defaults().withPort(0).withModel(MODEL, ModelBehaviour.instant()));
    }

    @AfterAll
    void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.metrics().reset();
        registry = new SimpleMeterRegistry();
    }

    private LlmEntityExtractor extractor(String toolChoice, String url) {
        return new LlmEntityExtractor(
                url,
                new LlmEntitySettings(MODEL, toolChoice, Duration.ofSeconds(10), 50),
                tenant -> "token-for-" + tenant,
                registry);
    }

    private double skipped(String reason) {
        return registry.get("ingestion_entity_extraction_skipped")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private double retries() {
        return registry.get("ingestion_entity_extraction_retries").counter().count();
    }

    @Test
    void validJsonAtOnceGivesEntitiesWithOneCall() {
        List<Entity> entities = extractor("required", simulator.baseUrl()).extract("tenant-a", TEXT);
        assertThat(entities)
                .isNotEmpty()
                .extracting(Entity::kind)
                .containsExactlyInAnyOrder(Entity.Kind.NAME, Entity.Kind.ACRONYM, Entity.Kind.QUANTITY);
        assertThat(simulator.metrics().requests(Endpoint.OPENAI_CHAT)).isEqualTo(1);
        assertThat(retries()).isZero();
        assertThat(skipped("malformed")).isZero();
    }

    @Test
    void malformedThenValidIsRetriedOnceAndKept() {
        List<Entity> entities = extractor("auto", simulator.baseUrl()).extract("tenant-a", TEXT);
        assertThat(entities).isNotEmpty();
        assertThat(simulator.metrics().requests(Endpoint.OPENAI_CHAT)).isEqualTo(2);
        assertThat(retries()).isEqualTo(1);
        assertThat(skipped("malformed")).isZero();
    }

    @Test
    void alwaysMalformedIsSkippedAfterOneRetryAndCounted() {
        LlmEntityExtractor extractor = extractor("none", simulator.baseUrl());
        assertThat(extractor.extract("tenant-a", TEXT)).isEmpty();
        assertThat(extractor.extract("tenant-a", "A second chunk about the ESA and 3 satellites."))
                .isEmpty();
        assertThat(simulator.metrics().requests(Endpoint.OPENAI_CHAT)).isEqualTo(4);
        assertThat(retries()).isEqualTo(2);
        assertThat(skipped("malformed")).isEqualTo(2);
    }

    @Test
    void anUnreachableRouterSkipsTheChunkWithoutRetrying() {
        LlmEntityExtractor extractor =
                extractor("required", "http://127.0.0.1:" + ai.sovereign.testkit.FreePorts.next());
        assertThat(extractor.extract("tenant-a", TEXT)).isEmpty();
        assertThat(skipped("unavailable")).isEqualTo(1);
        assertThat(retries()).isZero();
    }

    @Test
    void answersAreCheckedAgainstTheSchema() {
        LlmEntityExtractor extractor = extractor("required", simulator.baseUrl());
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        assertThat(
                        extractor.parse(
                                json.readTree(
                                        "{\"content\": \"```json\\n{\\\"names\\\": [\\\"Ada Lovelace\\\"], \\\"acronyms\\\": [], \\\"quantities\\\": [\\\"3 kg\\\"]}\\n```\"}")))
                .containsExactly(
                        new Entity("Ada Lovelace", Entity.Kind.NAME), new Entity("3 kg", Entity.Kind.QUANTITY));
        for (String bad : List.of(
                "{\"content\": \"Sure! Here are the entities\"}",
                "{\"content\": \"[1, 2]\"}",
                "{\"content\": \"{\\\"names\\\": [{\\\"name\\\": \\\"x\\\"}]}\"}",
                "{\"content\": \"{\\\"people\\\": []}\"}",
                "{\"content\": \"{}\"}")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> extractor.parse(json.readTree(bad)))
                    .as(bad)
                    .isInstanceOf(LlmEntityExtractor.Malformed.class);
        }
    }
}
