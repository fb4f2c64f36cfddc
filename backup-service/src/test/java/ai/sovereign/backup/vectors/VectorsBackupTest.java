package ai.sovereign.backup.vectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.backup.support.BackupService;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.InvalidTokenException;
import ai.sovereign.runtime.security.PlatformKeys;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceKeys;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import ai.sovereign.runtime.security.ServiceTokenVerifier;
import ai.sovereign.testkit.SharedInfrastructure;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The vectors component against a stand-in for the ingestion service's export/import contract (docs/backup.md), with
 * the backup-service outside dev mode on the platform's generated keys. The stand-in is labelled as such: an in-memory
 * NDJSON store, not the real ingestion service (whose side of the contract, scratch import included, is proven in
 * ingestion's VectorTransferTest); it verifies every call's {@code X-Sovereign-Token} the way ingestion does, with a
 * {@link ServiceTokenVerifier} on the platform's public keys admitting the backup-service as a service, and
 * {@code Caller.require(ADMIN, SERVICE)}, and answers 401/403 as the real {@code ServiceTokenFilter} and controller
 * would.
 */
class VectorsBackupTest {

    /** What ingestion would do with a call: verify the token, then answer. */
    static final class StandInIngestion implements AutoCloseable {
        final List<String> store = new CopyOnWriteArrayList<>();
        final List<Caller> callers = new CopyOnWriteArrayList<>();
        final AtomicReference<ServiceTokenVerifier> verifier;
        final AtomicInteger scratchImports = new AtomicInteger();
        /** A broken scratch store: loses the last vector of what it was given. */
        final AtomicBoolean lossyScratch = new AtomicBoolean();

        final HttpServer server;

        StandInIngestion(PlatformKeys keys) throws IOException {
            verifier = new AtomicReference<>(verifier(keys));
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v1/admin/vectors/export", exchange -> {
                if (authorized(exchange)) {
                    respond(exchange, 200, "application/x-ndjson", ndjson(store));
                }
            });
            server.createContext("/api/v1/admin/vectors/import", exchange -> {
                if (!authorized(exchange)) {
                    return;
                }
                List<String> lines =
                        new ArrayList<>(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                                .lines()
                                .filter(l -> !l.isBlank())
                                .toList());
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                if (query.equals("mode=scratch")) {
                    scratchImports.incrementAndGet();
                    if (lossyScratch.get() && !lines.isEmpty()) {
                        lines.removeLast();
                    }
                    respond(exchange, 200, "application/x-ndjson", ndjson(lines));
                } else if (query.equals("mode=replace")) {
                    store.clear();
                    store.addAll(lines);
                    respond(exchange, 200, "application/json", "{\"imported\": " + lines.size() + "}");
                } else {
                    respond(exchange, 400, "application/json", "{\"error\": {\"message\": \"mode\"}}");
                }
            });
            server.start();
        }

        /** Ingestion's verifier on {@code keys}: the backup-service may call it as a service. */
        static ServiceTokenVerifier verifier(PlatformKeys keys) {
            SecuritySettings settings = new SecuritySettings(
                    false, null, keys.trustedKeys().toString(), null, null, List.of("/api/v1"), null);
            return new ServiceTokenVerifier(
                    "ingestion",
                    ServiceKeys.trustedKeys(settings),
                    Map.of("backup-service", Set.of(Role.SERVICE)),
                    false,
                    Clock.systemUTC());
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private boolean authorized(HttpExchange exchange) throws IOException {
            String token = exchange.getRequestHeaders().getFirst(ServiceTokenFilter.TOKEN_HEADER);
            if (token == null) {
                respond(
                        exchange,
                        401,
                        "application/json",
                        "{\"error\": {\"message\": \"a service token is required\"}}");
                return false;
            }
            try {
                callers.add(verifier.get().verify(token).require(Role.ADMIN, Role.SERVICE));
                return true;
            } catch (InvalidTokenException e) {
                respond(exchange, 401, "application/json", "{\"error\": {\"message\": \"" + e.getMessage() + "\"}}");
            } catch (ApiException e) {
                respond(exchange, 403, "application/json", "{\"error\": {\"message\": \"" + e.getMessage() + "\"}}");
            }
            return false;
        }

        private static String ndjson(List<String> lines) {
            return String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
        }

        private static void respond(HttpExchange exchange, int status, String type, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void vectorsComeBackAfterAWipeAndEveryCallCarriesAVerifiedServiceToken() throws Exception {
        PlatformKeys keys = PlatformKeys.loadOrGenerate(Files.createTempDirectory("platform-keys"));
        try (StandInIngestion ingestion = new StandInIngestion(keys)) {
            for (int i = 0; i < 500; i++) {
                ingestion.store.add("{\"collection\":\"all-minilm-l6-v2\",\"id\":\"chunk-" + i + "\",\"vector\":["
                        + (i * 0.001) + ",0.5,-0.25]," + "\"fields\":{\"tenant\":\"t" + (i % 3)
                        + "\",\"source_id\":\"src-" + (i / 10) + "\"}}");
            }
            List<String> before = List.copyOf(ingestion.store);
            Map<String, Object> properties = new HashMap<>(keys.properties("backup-service"));
            properties.put("backup.vectors.ingestion-url", ingestion.url());
            properties.put("backup.encryption.key", BackupService.KEY);
            properties.put("sovereign.security.dev-mode", false);
            try (BackupService service = BackupService.start(
                    SharedInfrastructure.postgres().newServiceDatabase("vectors"),
                    Files.createTempDirectory("backup-vectors-"),
                    properties)) {
                JsonNode run = service.backup("{\"components\": [\"vectors\"]}");
                assertEquals("succeeded", run.get("status").asString(), run.toString());
                assertEquals(
                        500,
                        run.get("manifest")
                                .get("components")
                                .get("vectors")
                                .get("counts")
                                .get("vectors")
                                .asLong());
                String id = run.get("id").asString();

                // verify restores into the scratch collection and compares what comes back; the serving store is
                // untouched
                BackupService.Reply verified = service.call("POST", "/api/v1/backups/" + id + "/verify", null);
                assertTrue(verified.body().get("passed").asBoolean(), verified.toString());
                assertEquals(
                        500,
                        verified.body()
                                .get("components")
                                .get("vectors")
                                .get("counts")
                                .get("vectors")
                                .asLong());
                assertEquals(1, ingestion.scratchImports.get());
                assertEquals(before, ingestion.store);

                // a scratch store that does not give back what it was given fails verification
                ingestion.lossyScratch.set(true);
                BackupService.Reply lossy = service.call("POST", "/api/v1/backups/" + id + "/verify", null);
                assertFalse(lossy.body().get("passed").asBoolean(), lossy.toString());
                assertTrue(
                        lossy.body()
                                .get("components")
                                .get("vectors")
                                .get("differences")
                                .toString()
                                .contains("vectors"),
                        lossy.toString());
                ingestion.lossyScratch.set(false);

                ingestion.store.clear();
                BackupService.Reply restored = service.call(
                        "POST",
                        "/api/v1/backups/" + id + "/restore",
                        "{\"target\": \"original\", \"components\": [\"vectors\"], \"confirm\": \"" + id + "\"}");
                assertEquals(200, restored.status(), restored.toString());
                assertTrue(restored.body().get("passed").asBoolean(), restored.toString());
                assertEquals(before, ingestion.store);

                assertFalse(ingestion.callers.isEmpty());
                for (Caller caller : ingestion.callers) {
                    assertEquals("backup-service", caller.issuer());
                    assertEquals("backup-service", caller.subject());
                    assertEquals(Role.SERVICE, caller.role());
                    assertEquals("_platform", caller.tenant());
                    assertTrue(
                            caller.expiresAt().isBefore(java.time.Instant.now().plusSeconds(301)),
                            "short-lived: " + caller.expiresAt());
                }

                // ingestion trusting another platform's keys refuses the token: the run fails and says why
                ingestion.verifier.set(StandInIngestion.verifier(
                        PlatformKeys.loadOrGenerate(Files.createTempDirectory("other-platform-keys"))));
                JsonNode refused = service.backup("{\"components\": [\"vectors\"]}");
                assertEquals("failed", refused.get("status").asString(), refused.toString());
                assertTrue(refused.get("error").asString().contains("answered 401"), refused.toString());
                assertTrue(
                        refused.get("error").asString().contains("token is not signed by a trusted key"),
                        refused.toString());
            }
        }
    }
}
