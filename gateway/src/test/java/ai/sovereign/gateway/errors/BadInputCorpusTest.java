package ai.sovereign.gateway.errors;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** A corpus of bad requests, each answered with the right 4xx and an error body in the route's dialect; never a 5xx. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {

    private GatewayFixture gateway;
    private Key key;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
        key = gateway.createKey("{\"name\":\"fuzz\",\"tenant\":\"acme\"}");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    /** One bad request and the status it must get. */
    record Case(String name, String method, String path, byte[] body, int status) {
        static Case of(String name, String method, String path, String body, int status) {
            return new Case(name, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status);
        }
    }

    private static List<Case> corpus() {
        byte[] invalidUtf8 = {'{', '"', 'm', 'o', 'd', 'e', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        byte[] tenMiB = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMiB, (byte) 'a');
        String chat = "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        List<Case> cases = new ArrayList<>();
        for (String path : List.of(
                "/v1/chat/completions",
                "/v1/completions",
                "/v1/embeddings",
                "/api/chat",
                "/api/generate",
                "/api/embed",
                "/api/embeddings",
                "/api/show")) {
            cases.add(Case.of("malformed JSON", "POST", path, "{\"model\": ", 400));
            cases.add(Case.of("empty body", "POST", path, "", 400));
            cases.add(Case.of("JSON array", "POST", path, "[1,2]", 400));
            cases.add(Case.of("JSON string", "POST", path, "\"hello\"", 400));
            cases.add(
                    Case.of("missing model", "POST", path, "{\"messages\":[],\"prompt\":\"x\",\"input\":\"x\"}", 400));
            cases.add(Case.of("model is a number", "POST", path, "{\"model\":42}", 400));
            cases.add(new Case("invalid UTF-8", "POST", path, invalidUtf8, 400));
            cases.add(new Case("10 MiB body", "POST", path, tenMiB, 413));
        }
        cases.add(
                Case.of("missing messages", "POST", "/v1/chat/completions", "{\"model\":\"" + CHAT_MODEL + "\"}", 400));
        cases.add(Case.of(
                "messages not an array",
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":\"hi\"}",
                400));
        cases.add(Case.of(
                "message without role",
                "POST",
                "/v1/chat/completions",
                "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"content\":\"hi\"}]}",
                400));
        cases.add(Case.of(
                "stream is a string",
                "POST",
                "/v1/chat/completions",
                chat.replace("{\"model\"", "{\"stream\":\"yes\",\"model\""),
                400));
        cases.add(Case.of(
                "stream_options not an object",
                "POST",
                "/v1/chat/completions",
                chat.replace("{\"model\"", "{\"stream\":true,\"stream_options\":5,\"model\""),
                400));
        cases.add(Case.of("missing prompt", "POST", "/v1/completions", "{\"model\":\"" + CHAT_MODEL + "\"}", 400));
        cases.add(Case.of(
                "prompt is an object",
                "POST",
                "/v1/completions",
                "{\"model\":\"" + CHAT_MODEL + "\",\"prompt\":{}}",
                400));
        cases.add(Case.of("missing input", "POST", "/v1/embeddings", "{\"model\":\"nomic-embed-text\"}", 400));
        cases.add(Case.of(
                "unknown model", "POST", "/v1/chat/completions", chat.replace(CHAT_MODEL, "no-such-model"), 404));
        cases.add(Case.of(
                "negative max_tokens",
                "POST",
                "/v1/chat/completions",
                chat.replace("{\"model\"", "{\"max_tokens\":-3,\"model\""),
                400));
        cases.add(Case.of(
                "ollama options not an object",
                "POST",
                "/api/chat",
                "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[],\"options\":7}",
                400));
        cases.add(Case.of(
                "ollama embed input is a number",
                "POST",
                "/api/embed",
                "{\"model\":\"nomic-embed-text\",\"input\":5}",
                400));
        cases.add(Case.of("unknown route", "GET", "/v1/nope", null, 404));
        cases.add(Case.of("unknown admin route", "POST", "/admin/nope", "{}", 404));
        cases.add(Case.of("wrong method", "GET", "/v1/chat/completions", null, 405));
        cases.add(Case.of("admin key body malformed", "POST", "/admin/keys", "{", 400));
        cases.add(Case.of(
                "admin key wrong type",
                "POST",
                "/admin/keys",
                "{\"name\":\"x\",\"tenant\":\"t\",\"rpm\":\"ten\"}",
                400));
        cases.add(Case.of(
                "admin key unknown role",
                "POST",
                "/admin/keys",
                "{\"name\":\"x\",\"tenant\":\"t\",\"role\":\"root\"}",
                400));
        cases.add(Case.of(
                "admin key bad expiry",
                "POST",
                "/admin/keys",
                "{\"name\":\"x\",\"tenant\":\"t\",\"expires_at\":\"soon\"}",
                400));
        cases.add(Case.of("admin key missing tenant", "POST", "/admin/keys", "{\"name\":\"x\"}", 400));
        cases.add(Case.of(
                "admin key unknown field",
                "POST",
                "/admin/keys",
                "{\"name\":\"x\",\"tenant\":\"t\",\"colour\":1}",
                400));
        return cases;
    }

    @Test
    void everyBadRequestGetsItsStatusAndAnErrorBody() {
        List<String> problems = new ArrayList<>();
        for (Case c : corpus()) {
            String auth = c.path().startsWith("/admin") ? GatewayFixture.ADMIN_KEY : key.secret();
            Reply reply = gateway.send(c.method(), c.path(), auth, c.body(), Map.of());
            String label = c.name() + " " + c.method() + " " + c.path();
            if (reply.status() != c.status()) {
                problems.add(label + ": expected " + c.status() + ", got " + reply.status() + " "
                        + abbreviate(reply.body()));
                continue;
            }
            JsonNode body;
            try {
                body = reply.json();
            } catch (RuntimeException e) {
                problems.add(label + ": body is not JSON: " + abbreviate(reply.body()));
                continue;
            }
            boolean ollama = GatewayErrorHandler.OLLAMA_PATHS.contains(c.path()) && c.status() != 413;
            boolean shaped = ollama
                    ? body.path("error").isString()
                    : body.path("error").path("message").isString()
                            && body.path("error").path("type").isString();
            if (!shaped) {
                problems.add(label + ": error body has the wrong shape: " + abbreviate(reply.body()));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(0, problems.size());
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
