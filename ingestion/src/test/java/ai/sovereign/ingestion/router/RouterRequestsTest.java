package ai.sovereign.ingestion.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceKeys;
import ai.sovereign.runtime.security.ServiceTokenSigner;
import ai.sovereign.runtime.security.ServiceTokenVerifier;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every call ingestion makes to the router carries its service token the one way the router reads it. */
class RouterRequestsTest {

    @Test
    void theServiceTokenGoesInXSovereignTokenAndAnApiKeyAsBearer() {
        URI endpoint = RouterRequests.endpoint("http://router:5100//", "/v1/embeddings");
        assertThat(endpoint).hasToString("http://router:5100/v1/embeddings");
        HttpRequest request = RouterRequests.jsonPost(endpoint, new byte[0], Duration.ofSeconds(5), "token-1", "key-1")
                .build();
        assertThat(request.headers().firstValue("X-Sovereign-Token")).hasValue("token-1");
        assertThat(request.headers().firstValue("Authorization")).hasValue("Bearer key-1");
        assertThat(request.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(request.method()).isEqualTo("POST");
    }

    @Test
    void noTokenAndNoKeyMeanNoAuthenticationHeaders() {
        HttpRequest request = RouterRequests.jsonPost(
                        URI.create("http://router:5100/v1/chat/completions"), new byte[0], Duration.ofSeconds(5), " ")
                .build();
        assertThat(request.headers().firstValue("X-Sovereign-Token")).isEmpty();
        assertThat(request.headers().firstValue("Authorization")).isEmpty();
    }

    @Test
    void mintedTokensNameIngestionAsAServiceOfTheTenant() {
        SecuritySettings dev = new SecuritySettings(true, null, null, null, null, null, null);
        ServiceTokenVerifier router = new ServiceTokenVerifier(
                "router",
                ServiceKeys.trustedKeys(dev),
                Map.of("ingestion", Set.of(Role.SERVICE)),
                true,
                Clock.systemUTC());
        String token =
                new RouterTokens(ServiceTokenSigner.development("ingestion", Clock.systemUTC())).forTenant("acme");
        Caller caller = router.verify(token);
        assertThat(caller.issuer()).isEqualTo("ingestion");
        assertThat(caller.subject()).isEqualTo("ingestion");
        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.role()).isEqualTo(Role.SERVICE);
    }
}
