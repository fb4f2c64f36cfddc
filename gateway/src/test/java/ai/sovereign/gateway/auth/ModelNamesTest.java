package ai.sovereign.gateway.auth;

import static ai.sovereign.gateway.support.GatewayFixture.CHAT_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Model names a client chooses: matched against a key's globs without regular expressions, refused above 256 bytes
 * before anything else sees them, and never a metric label of their own unless the fleet served them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelNamesTest {

    private GatewayFixture gateway;
    private Key anyModel;

    @BeforeAll
    void start() {
        gateway = GatewayFixture.start();
        anyModel = gateway.createKey("{\"name\":\"any\",\"tenant\":\"acme\",\"allowed_models\":[\"*\"]}");
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    @Test
    void globsMatchAsTheRegularExpressionTheyStandForWithoutOne() {
        Random random = new Random(20261207);
        String alphabet = "ab.:";
        for (int i = 0; i < 20_000; i++) {
            String glob = randomString(random, "ab*?.", 1 + random.nextInt(8));
            String text = randomString(random, alphabet, random.nextInt(10));
            assertEquals(regex(glob).matcher(text).matches(), ModelPolicy.matches(glob, text), glob + " vs " + text);
        }
        assertTrue(ModelPolicy.allows(List.of("llama3*"), "llama3.1:8b"));
        assertFalse(ModelPolicy.allows(List.of("llama3*"), "mistral:7b"));
        assertTrue(ModelPolicy.allows(List.of("*"), ""));
        // the input that makes a backtracking matcher take exponential time is just another miss here
        assertFalse(ModelPolicy.matches("*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(256)));
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static Pattern regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    @Test
    void aModelNameOver256BytesIsRefusedWith400NamingTheFieldOnEveryDialect() {
        String huge = "m".repeat(100_000);
        for (String[] call : new String[][] {
            {
                "/v1/chat/completions",
                "{\"model\":\"" + huge + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            },
            {
                "/v1/chat/completions",
                "{\"model\":\"" + huge + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            },
            {"/v1/embeddings", "{\"model\":\"" + huge + "\",\"input\":\"hi\"}"},
            {"/api/chat", "{\"model\":\"" + huge + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
            {"/api/show", "{\"model\":\"" + huge + "\"}"},
            // 129 two-byte characters: 258 bytes
            {
                "/v1/chat/completions",
                "{\"model\":\"" + "é".repeat(129) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            }
        }) {
            Reply reply = gateway.send("POST", call[0], anyModel.secret(), call[1]);
            assertEquals(400, reply.status(), call[0] + ": " + reply.body());
            assertTrue(reply.body().contains("longer than 256 bytes"), reply.body());
            if (call[0].startsWith("/v1/")) { // the Ollama dialect's errors are {"error": "..."} only
                assertTrue(reply.body().contains("\"param\":\"model\""), reply.body());
            }
        }
    }

    @Test
    void madeUpModelNamesAreCountedAsOtherNotAsNewMetricSeries() {
        Reply served = gateway.send(
                "POST",
                "/v1/chat/completions",
                anyModel.secret(),
                "{\"model\":\"" + CHAT_MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertEquals(200, served.status(), served.body());
        for (int i = 0; i < 30; i++) {
            Reply reply = gateway.send(
                    "POST",
                    "/v1/chat/completions",
                    anyModel.secret(),
                    "{\"model\":\"made-up-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertEquals(404, reply.status(), reply.body());
        }
        String metrics = gateway.send("GET", "/metrics", null, (String) null).body();
        assertFalse(metrics.contains("made-up-"), "a made-up model became a label");
        assertTrue(metrics.contains("model=\"other\""), metrics);
        assertTrue(metrics.contains("model=\"" + CHAT_MODEL + "\""), "a served model keeps its label");
    }
}
