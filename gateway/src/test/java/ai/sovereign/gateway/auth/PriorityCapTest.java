package ai.sovereign.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.sovereign.gateway.support.GatewayFixture;
import ai.sovereign.gateway.support.GatewayFixture.Key;
import ai.sovereign.gateway.support.GatewayFixture.Reply;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The router's queue priority is the key's to have, not the client's to ask for: a stand-in router records the
 * {@code X-Priority} the gateway sends, on the fast path and on the ordinary one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriorityCapTest {

    private static final String CHAT =
            "{\"model\":\"llama3.1:8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String ANSWER =
            "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"llama3.1:8b\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

    private final ConcurrentLinkedDeque<String> forwarded = new ConcurrentLinkedDeque<>();
    private HttpServer router;
    private GatewayFixture gateway;

    @BeforeAll
    void start() throws IOException {
        router = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        router.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            forwarded.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Priority")));
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        router.start();
        gateway = GatewayFixture.start(Map.of(
                "gateway.upstreams.router",
                "http://127.0.0.1:" + router.getAddress().getPort()));
    }

    @AfterAll
    void stop() {
        gateway.close();
        router.stop(0);
    }

    private Reply chat(String path, Key key, String priority) {
        Map<String, String> headers = priority == null ? Map.of() : Map.of("X-Priority", priority);
        String body = path.equals("/api/chat") ? CHAT.replace("}]}", "}],\"stream\":false}") : CHAT;
        return gateway.send("POST", path, key.secret(), body.getBytes(StandardCharsets.UTF_8), headers);
    }

    @Test
    void aUserKeyAskingForTheTopPriorityIsQueuedAtItsCapOnEveryPath() {
        Key user = gateway.createKey("{\"name\":\"u\",\"tenant\":\"acme\"}");
        assertEquals(0, user.body().get("max_priority").intValue(), "a user key's default cap");
        for (String path : new String[] {"/v1/chat/completions", "/api/chat"}) {
            for (String asked : new String[] {"9", "high", null}) {
                Reply reply = chat(path, user, asked);
                assertEquals(200, reply.status(), path + " " + reply.body());
                assertEquals("0", forwarded.getLast(), path + " asked " + asked);
                assertEquals("0", reply.header("X-Sovereign-Priority"), path + " tells the client");
            }
        }
    }

    @Test
    void anAdminGivesAKeyItsCapAndTheKeyMayAskForLessButNotMore() {
        Key raised = gateway.createKey("{\"name\":\"batch\",\"tenant\":\"acme\",\"max_priority\":7}");
        assertEquals(200, chat("/v1/chat/completions", raised, "9").status());
        assertEquals("7", forwarded.getLast());
        assertEquals(200, chat("/v1/chat/completions", raised, "low").status());
        assertEquals("2", forwarded.getLast());
        assertEquals(200, chat("/v1/chat/completions", raised, null).status());
        assertEquals("5", forwarded.getLast(), "no header: normal, under the cap");

        Reply lowered =
                gateway.send("PATCH", "/admin/keys/" + raised.id(), GatewayFixture.ADMIN_KEY, "{\"max_priority\":1}");
        assertEquals(200, lowered.status(), lowered.body());
        assertEquals(1, lowered.json().get("max_priority").intValue());

        Key admin = gateway.createKey("{\"name\":\"ad\",\"tenant\":\"ops\",\"role\":\"admin\"}");
        assertEquals(200, chat("/v1/chat/completions", admin, "9").status());
        assertEquals("9", forwarded.getLast(), "an admin key's default cap is 9");
    }

    @Test
    void aMalformedPriorityOrCapIsA400NamingIt() {
        Key user = gateway.createKey("{\"name\":\"u2\",\"tenant\":\"acme\"}");
        int before = forwarded.size();
        Reply bad = chat("/v1/chat/completions", user, "urgent");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("X-Priority", bad.json().get("error").get("param").stringValue());
        assertEquals(before, forwarded.size(), "nothing forwarded");
        for (String cap : new String[] {"10", "-1", "\"high\"", "2.5"}) {
            Reply refused = gateway.send(
                    "POST",
                    "/admin/keys",
                    GatewayFixture.ADMIN_KEY,
                    "{\"name\":\"x\",\"tenant\":\"acme\",\"max_priority\":" + cap + "}");
            assertEquals(400, refused.status(), cap + ": " + refused.body());
            assertEquals(
                    "max_priority", refused.json().get("error").get("param").stringValue());
        }
    }
}
