package ai.sovereign.ingestion.router;

import static org.assertj.core.api.Assertions.assertThat;

import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every call ingestion makes to the router carries its service token the one way the router reads it. */
class RouterRequestsTest {

    private static final byte[] SECRET = "a-platform-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);

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
        ServiceTokenCodec codec = new ServiceTokenCodec(SECRET, Clock.systemUTC());
        Caller caller = codec.verify(new RouterTokens(codec).forTenant("acme"));
        assertThat(caller.subject()).isEqualTo("ingestion");
        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.role()).isEqualTo(Role.SERVICE);
    }
}
