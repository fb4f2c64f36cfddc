package ai.sovereign.runtime.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.testkit.SharedInfrastructure;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Service tokens as an attacker sends them: the verifier of a service accepts only ES256 tokens signed by a key of
 * the platform's JWKS that belongs to the issuer, addressed to this service, unexpired, from an issuer allowed to call
 * it with that role; and the token filter answers everything else with 401 and an OpenAI body.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceTokenTest implements TestPropertyProvider {

    private static final Instant NOW = Instant.now();
    private static final ECKey GATEWAY = PlatformKeys.generate("gateway");
    private static final ECKey INGESTION = PlatformKeys.generate("ingestion");
    /** A key pair no JWKS holds, claiming to be the gateway's. */
    private static final ECKey STRANGER = PlatformKeys.generate("gateway");

    @Inject
    EmbeddedServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Map<String, String> getProperties() {
        return SharedInfrastructure.kafkaProperties("gateway");
    }

    /** The backup-service's verifier: the gateway may call it as admin, nobody else may. */
    private static ServiceTokenVerifier backupService(boolean devMode) {
        JWKSet keys = new JWKSet(List.of(GATEWAY.toPublicJWK(), INGESTION.toPublicJWK()));
        return new ServiceTokenVerifier(
                "backup-service",
                new ImmutableJWKSet<>(keys),
                Map.of("gateway", Set.of(Role.ADMIN)),
                devMode,
                Clock.systemUTC());
    }

    private static ServiceTokenSigner signer(String issuer, ECKey key, Instant now) {
        return new ServiceTokenSigner(
                issuer, key, List.of("router", "ingestion", "backup-service"), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String refusal(ServiceTokenVerifier verifier, String token) {
        return assertThrows(InvalidTokenException.class, () -> verifier.verify(token))
                .getMessage();
    }

    @Test
    void aTokenOfAnAllowedCallerVerifiesToItsClaims() {
        String token = signer("gateway", GATEWAY, NOW)
                .issue("backup-service", "key-7", "acme", Role.ADMIN, Duration.ofMinutes(5));
        Caller caller = backupService(false).verify(token);
        assertEquals("gateway", caller.issuer());
        assertEquals("key-7", caller.subject());
        assertEquals("acme", caller.tenant());
        assertEquals(Role.ADMIN, caller.role());
        assertTrue(token.startsWith("eyJ"), "a compact JWS");
    }

    @Test
    void ingestionsKeyCannotSpeakToTheBackupService() {
        // a compromised ingestion signs with its own key for the backup-service: its key is trusted, but it may not
        // call the backup-service at all
        String forBackup = signer("ingestion", INGESTION, NOW)
                .issue("backup-service", "ingestion", "_platform", Role.ADMIN, Duration.ofMinutes(5));
        assertEquals("ingestion may not call backup-service", refusal(backupService(false), forBackup));
        // nor can it pass itself off as the gateway: its key is not the gateway's
        String asGateway = signer("gateway", INGESTION, NOW)
                .issue("backup-service", "key-1", "acme", Role.ADMIN, Duration.ofMinutes(5));
        assertTrue(
                refusal(backupService(false), asGateway).startsWith("token issuer gateway does not own key ingestion:"),
                asGateway);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        String forRouter =
                signer("gateway", GATEWAY, NOW).issue("router", "key-7", "acme", Role.ADMIN, Duration.ofMinutes(5));
        assertTrue(refusal(backupService(false), forRouter).contains("audience"), forRouter);
    }

    @Test
    void expiredWrongRoleUnknownKeyAndDevelopmentKeyAreRefused() {
        String expired = signer("gateway", GATEWAY, NOW.minus(Duration.ofHours(1)))
                .issue("backup-service", "key-7", "acme", Role.ADMIN, Duration.ofMinutes(5));
        assertEquals("token refused: Expired JWT", refusal(backupService(false), expired));
        String user = signer("gateway", GATEWAY, NOW)
                .issue("backup-service", "key-7", "acme", Role.USER, Duration.ofMinutes(5));
        assertEquals("gateway may not call backup-service as user", refusal(backupService(false), user));
        String stranger = signer("gateway", STRANGER, NOW)
                .issue("backup-service", "key-7", "acme", Role.ADMIN, Duration.ofMinutes(5));
        assertTrue(refusal(backupService(false), stranger).startsWith("token is not signed by a trusted key"));
        String longLived = signer("gateway", GATEWAY, NOW)
                .issue("backup-service", "key-7", "acme", Role.ADMIN, Duration.ofHours(2));
        assertEquals(
                "token lives longer than PT1H (sovereign.security.max-token-lifetime)",
                refusal(backupService(false), longLived));
        String development = ServiceTokenSigner.development("gateway", Clock.systemUTC())
                .issue("backup-service", "key-7", "acme", Role.ADMIN, Duration.ofMinutes(5));
        assertEquals(
                "token is signed with a development key, refused outside dev mode",
                refusal(backupService(false), development));
    }

    @Test
    void hs256NoneMalformedAndOversizedTokensAreRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("gateway")
                .audience("backup-service")
                .subject("key-7")
                .claim("tenant", "acme")
                .claim("role", "admin")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        // HS256 with the gateway's public key as the HMAC secret: the classic algorithm-confusion forgery
        SignedJWT hs256 = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256)
                        .keyID(GATEWAY.getKeyID())
                        .build(),
                claims);
        hs256.sign(new MACSigner(GATEWAY.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        assertEquals("token must be signed with ES256, not HS256", refusal(backupService(false), hs256.serialize()));
        String none = new PlainJWT(claims).serialize();
        assertTrue(refusal(backupService(false), none).startsWith("token is not a signed JWT"), none);
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"gateway:x\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(refusal(backupService(false), header + ".e30.").startsWith("token is not a signed JWT"));
        assertTrue(refusal(backupService(false), "not-a-token").startsWith("token is not a signed JWT"));
        assertEquals("token is longer than 4096 characters", refusal(backupService(false), "a".repeat(5000)));
        String noKid = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8))
                + ".e30.AAAA";
        assertEquals("token names no key (kid)", refusal(backupService(false), noKid));
    }

    @Test
    void aSignerSignsOnlyForTheServicesItCalls() {
        ServiceTokenSigner ingestion =
                new ServiceTokenSigner("ingestion", INGESTION, List.of("router"), Clock.systemUTC());
        var error = assertThrows(
                IllegalStateException.class,
                () -> ingestion.issue("backup-service", "ingestion", "_platform", Role.SERVICE, Duration.ofMinutes(1)));
        assertTrue(error.getMessage().startsWith("ingestion signs no tokens for backup-service"), error.getMessage());
    }

    @Test
    void aSigningKeyMustNameItsServiceAndTrustedKeysMustBePublic() {
        SecuritySettings asGateway =
                new SecuritySettings(false, INGESTION.toJSONString(), null, null, List.of("router"), null, null);
        var wrongOwner = assertThrows(IllegalStateException.class, () -> ServiceKeys.signingKey(asGateway, "gateway"));
        assertTrue(wrongOwner.getMessage().contains("kid must start with 'gateway:'"), wrongOwner.getMessage());
        SecuritySettings privateJwks = new SecuritySettings(
                false, null, new JWKSet(GATEWAY).toString(false), null, null, List.of("/api"), null);
        var leaked = assertThrows(IllegalStateException.class, () -> ServiceKeys.trustedKeys(privateJwks));
        assertTrue(leaked.getMessage().contains("holds private keys"), leaked.getMessage());
    }

    @Test
    void outsideDevModeTheKeysAreRequiredAndTheOldSecretIsRefused() {
        var noKey = assertThrows(
                IllegalStateException.class,
                () -> new SecuritySettings(false, null, "/keys.jwks", null, List.of("router"), List.of("/api"), null));
        assertTrue(noKey.getMessage()
                .startsWith("sovereign.security.signing-key (SOVEREIGN_SECURITY_SIGNING_KEY) is not set"));
        var noTrust = assertThrows(
                IllegalStateException.class,
                () -> new SecuritySettings(false, null, null, null, null, List.of("/api"), null));
        assertTrue(noTrust.getMessage()
                .startsWith("sovereign.security.trusted-keys (SOVEREIGN_SECURITY_TRUSTED_KEYS) is not set"));
        var secret = assertThrows(
                IllegalStateException.class,
                () -> new SecuritySettings(true, null, null, null, null, null, "an-old-shared-secret-of-32-bytes!!"));
        assertTrue(secret.getMessage()
                .startsWith("sovereign.security.token-secret (SOVEREIGN_SECURITY_TOKEN_SECRET) is no longer used"));
        // the gpu-agent: no calls, no protected paths, no keys at all
        new SecuritySettings(false, null, null, null, null, null, null);
    }

    @Test
    void protectedPathNeedsAValidTokenAndTheRightRole() throws Exception {
        ServiceTokenSigner gateway = ServiceTokenSigner.development("gateway", Clock.systemUTC());
        HttpResponse<String> none = get(null);
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("\"code\":\"invalid_service_token\""), none.body());
        assertEquals(401, get("forged.token.value").statusCode());
        assertEquals(401, get("x".repeat(5000)).statusCode());
        HttpResponse<String> user =
                get(gateway.issue("runtime-probe", "key-1", "acme", Role.USER, Duration.ofMinutes(1)));
        assertEquals(403, user.statusCode());
        assertTrue(user.body().contains("role user may not do this; it needs auditor or admin"), user.body());
        HttpResponse<String> auditor =
                get(gateway.issue("runtime-probe", "key-2", "acme", Role.AUDITOR, Duration.ofMinutes(1)));
        assertEquals(200, auditor.statusCode());
        assertEquals("key-2@acme", auditor.body());
        // the probe admits the gateway only; ingestion's development key is trusted but ingestion is no caller here
        HttpResponse<String> ingestion = get(ServiceTokenSigner.development("ingestion", Clock.systemUTC())
                .issue("runtime-probe", "ingestion", "acme", Role.AUDITOR, Duration.ofMinutes(1)));
        assertEquals(401, ingestion.statusCode());
        assertTrue(ingestion.body().contains("ingestion may not call runtime-probe"), ingestion.body());
    }

    private HttpResponse<String> get(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.getURI() + "/probe/secure/whoami"));
        if (token != null) {
            request.header("X-Sovereign-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
