package ai.sovereign.gateway.errors;

import ai.sovereign.gateway.keys.ApiKeyStore;
import ai.sovereign.runtime.errors.ErrorBody;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** PostgreSQL unreachable while checking a key: 503 with Retry-After, not a bare 500; the log has the cause. */
@Singleton
public class KeyStoreUnavailableHandler
        implements ExceptionHandler<ApiKeyStore.KeyStoreException, HttpResponse<ErrorBody>> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreUnavailableHandler.class);

    @Override
    public HttpResponse<ErrorBody> handle(HttpRequest request, ApiKeyStore.KeyStoreException exception) {
        LOG.error("key store unavailable: {}", exception.getMessage(), exception.getCause());
        return HttpResponse.<ErrorBody>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(ErrorBody.of(
                        "the key store is unavailable; retry shortly", "server_error", "key_store_unavailable", null));
    }
}
