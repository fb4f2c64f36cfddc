package ai.sovereign.ingestion.entity.llm;

import ai.sovereign.ingestion.entity.Entity;
import ai.sovereign.ingestion.entity.EntityExtractor;
import ai.sovereign.ingestion.router.RouterRequests;
import ai.sovereign.ingestion.router.RouterTokens;
import ai.sovereign.runtime.json.JsonMapperFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Entities extracted by an LLM through the router's {@code /v1/chat/completions}, with a JSON-schema prompt: the
 * answer must be {@code {"names": [...], "acronyms": [...], "quantities": [...]}} (arrays of the surface forms found in
 * the text), given as the arguments of the {@code record_entities} tool or, with tool choice {@code none}, as the
 * message content under {@code response_format: json_schema}. An answer that is not such JSON is retried once with
 * the reason; if it is still malformed the chunk gets no entities and
 * {@code ingestion_entity_extraction_skipped_total{reason="malformed"}} counts it. A router that cannot be reached or
 * answers an error skips the chunk too ({@code reason="unavailable"}, no retry). Never throws: a source never fails
 * because of its entities.
 */
public final class LlmEntityExtractor implements EntityExtractor {

    private static final Logger LOG = LoggerFactory.getLogger(LlmEntityExtractor.class);
    static final String TOOL = "record_entities";
    private static final Map<String, Entity.Kind> KINDS =
            Map.of("names", Entity.Kind.NAME, "acronyms", Entity.Kind.ACRONYM, "quantities", Entity.Kind.QUANTITY);
    private static final int MAX_NAME_CHARS = 200;

    static final String SYSTEM = """
            You extract named entities from a text for a knowledge graph. Report, each as it is written in the text:
            names: people, organisations, places, products, named concepts;
            acronyms: abbreviations in capitals such as NASA or TLS;
            quantities: numbers with their units such as 120 km/h or 5 MB.
            Report nothing that is not in the text. Answer with the record_entities tool, or with nothing but one JSON
            object matching this JSON schema:
            """;

    private final JsonMapper json;
    private final URI endpoint;
    private final LlmEntitySettings settings;
    private final Function<String, String> tokenForTenant;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectNode schema;
    private final Counter malformedSkipped;
    private final Counter unavailableSkipped;
    private final Counter retries;

    /** For code outside an application context (tests), on a mapper with the platform's settings. */
    public LlmEntityExtractor(
            String routerUrl,
            LlmEntitySettings settings,
            Function<String, String> tokenForTenant,
            MeterRegistry registry) {
        this(routerUrl, settings, tokenForTenant, registry, JsonMapperFactory.platformMapper());
    }

    /**
     * @param routerUrl      base URL of the router's OpenAI API
     * @param tokenForTenant a service token for calls on behalf of a tenant (usage is attributed to it)
     */
    public LlmEntityExtractor(
            String routerUrl,
            LlmEntitySettings settings,
            Function<String, String> tokenForTenant,
            MeterRegistry registry,
            JsonMapper json) {
        this.json = json;
        this.endpoint = RouterRequests.endpoint(routerUrl, "/v1/chat/completions");
        this.settings = settings;
        this.tokenForTenant = tokenForTenant;
        this.schema = schema();
        this.malformedSkipped = skipped(registry, "malformed");
        this.unavailableSkipped = skipped(registry, "unavailable");
        this.retries = Counter.builder("ingestion_entity_extraction_retries")
                .description("LLM entity answers that were malformed and asked again")
                .register(registry);
    }

    private static Counter skipped(MeterRegistry registry, String reason) {
        return Counter.builder("ingestion_entity_extraction_skipped")
                .description(
                        "Chunks left without entities because the LLM's answer was malformed twice or the router failed")
                .tag("reason", reason)
                .register(registry);
    }

    private ObjectNode schema() {
        ObjectNode schema = json.createObjectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (String kind : List.of("names", "acronyms", "quantities")) {
            ObjectNode array = properties.putObject(kind);
            array.put("type", "array");
            array.putObject("items").put("type", "string");
            required.add(kind);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    public List<Entity> extract(String text) {
        return extract(RouterTokens.PLATFORM_TENANT, text);
    }

    @Override
    public List<Entity> extract(String tenant, String text) {
        List<ObjectNode> messages = new ArrayList<>();
        messages.add(message("system", SYSTEM + schema));
        messages.add(message("user", text));
        try {
            JsonNode answer = call(tenant, messages);
            try {
                return parse(answer);
            } catch (Malformed first) {
                retries.increment();
                messages.add(message("assistant", answerText(answer)));
                messages.add(message(
                        "user",
                        "call " + TOOL + " again for the text above: your answer was not valid (" + first.getMessage()
                                + "). Give only the JSON object the schema describes."));
                try {
                    return parse(call(tenant, messages));
                } catch (Malformed second) {
                    malformedSkipped.increment();
                    LOG.warn(
                            "LLM entity extraction: the answer was malformed twice ({}); the chunk is stored without entities",
                            second.getMessage());
                    return List.of();
                }
            }
        } catch (Unavailable e) {
            unavailableSkipped.increment();
            LOG.warn("LLM entity extraction unavailable ({}); the chunk is stored without entities", e.getMessage());
            return List.of();
        }
    }

    private ObjectNode message(String role, String content) {
        ObjectNode message = json.createObjectNode();
        message.put("role", role);
        message.put("content", content);
        return message;
    }

    private JsonNode call(String tenant, List<ObjectNode> messages) {
        ObjectNode body = json.createObjectNode();
        body.put("model", settings.model());
        body.put("stream", false);
        body.put("temperature", 0);
        ArrayNode list = body.putArray("messages");
        messages.forEach(list::add);
        if (settings.toolChoice().equals("none")) {
            ObjectNode format = body.putObject("response_format");
            format.put("type", "json_schema");
            ObjectNode jsonSchema = format.putObject("json_schema");
            jsonSchema.put("name", "entities");
            jsonSchema.put("strict", true);
            jsonSchema.set("schema", schema);
        } else {
            ObjectNode function =
                    body.putArray("tools").addObject().put("type", "function").putObject("function");
            function.put("name", TOOL);
            function.put("description", "Records the entities found in the text");
            function.set("parameters", schema);
            if (settings.toolChoice().equals("required")) {
                body.putObject("tool_choice")
                        .put("type", "function")
                        .putObject("function")
                        .put("name", TOOL);
            } else {
                body.put("tool_choice", "auto");
            }
        }
        HttpRequest.Builder request = RouterRequests.jsonPost(
                endpoint, json.writeValueAsBytes(body), settings.timeout(), tokenForTenant.apply(tenant));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("the router answered HTTP " + response.statusCode());
            }
            return json.readTree(response.body()).path("choices").path(0).path("message");
        } catch (IOException | JacksonException e) {
            throw new Unavailable("the router at " + endpoint + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    /** The tool call's arguments if there is one, else the content. */
    private static String answerText(JsonNode message) {
        JsonNode call = message.path("tool_calls").path(0).path("function");
        if (call.isObject()) {
            JsonNode arguments = call.path("arguments");
            return arguments.isString() ? arguments.asString() : arguments.toString();
        }
        return message.path("content").asString("");
    }

    List<Entity> parse(JsonNode message) {
        String text = answerText(message).strip();
        if (text.startsWith("```")) {
            text = text.replaceAll("^```[a-zA-Z]*\\s*", "").replaceAll("\\s*```$", "");
        }
        JsonNode answer;
        try {
            answer = json.readTree(text);
        } catch (JacksonException e) {
            throw new Malformed("not JSON");
        }
        if (answer == null || !answer.isObject()) {
            throw new Malformed("not a JSON object");
        }
        Set<Entity> entities = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> property : answer.properties()) {
            Entity.Kind kind = KINDS.get(property.getKey());
            if (kind == null) {
                throw new Malformed("unknown property " + property.getKey());
            }
            if (!property.getValue().isArray()) {
                throw new Malformed(property.getKey() + " is not an array");
            }
            for (JsonNode item : property.getValue()) {
                if (!item.isString()) {
                    throw new Malformed(property.getKey() + " holds a " + item.getNodeType() + ", not a string");
                }
                String name = item.asString().strip();
                if (!name.isEmpty() && name.length() <= MAX_NAME_CHARS && entities.size() < settings.maxEntities()) {
                    entities.add(new Entity(name, kind));
                }
            }
        }
        if (!answer.has("names") && !answer.has("acronyms") && !answer.has("quantities")) {
            throw new Malformed("none of names, acronyms, quantities");
        }
        return List.copyOf(entities);
    }

    /** The answer does not follow the schema. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** The router could not be asked. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
