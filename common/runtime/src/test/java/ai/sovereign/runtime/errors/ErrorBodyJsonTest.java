package ai.sovereign.runtime.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The OpenAI error body as written outside Micronaut: every field present, in OpenAI's order, nulls written. */
class ErrorBodyJsonTest {

    @Test
    void everyFieldIsWrittenAndAbsentOnesAreNull() {
        assertEquals(
                "{\"error\":{\"message\":\"queue full\",\"type\":\"server_error\",\"code\":\"queue_full\",\"param\":null}}",
                json(ErrorBody.of("queue full", "server_error", "queue_full", null)));
        assertEquals(
                "{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":null,\"param\":\"model\"}}",
                json(ErrorBody.of("m", "invalid_request_error", null, "model")));
    }

    @Test
    void messagesAreEscaped() {
        assertEquals(
                "{\"error\":{\"message\":\"say \\\"hi\\\"\\nthen é ✓\",\"type\":\"t\",\"code\":\"c\",\"param\":null}}",
                json(ErrorBody.of("say \"hi\"\nthen é ✓", "t", "c", null)));
    }

    @Test
    void theBytesAreJacksonsForTheRecord() {
        // what the gateway wrote before the body had one writer (Jackson serialising the record itself)
        ErrorBody body = ErrorBody.of("router answered 502", "server_error", "upstream_error", null);
        assertEquals(JsonMapper.builder().build().writeValueAsString(body), json(body));
    }

    private static String json(ErrorBody body) {
        return new String(body.toJson(), StandardCharsets.UTF_8);
    }
}
