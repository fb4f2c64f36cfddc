package ai.sovereign.router.forward;

import ai.sovereign.router.config.ServerSpec;
import java.time.Duration;

/**
 * Speaks one server type's API on behalf of an OpenAI-dialect client: builds the server's request, and turns the
 * server's answer (whole or streamed) back into the OpenAI response the client expects.
 */
public interface BackendAdapter {

    /**
     * The request to send to {@code server}.
     *
     * @throws ai.sovereign.runtime.errors.ApiException (400) when the request cannot be put in this server's API
     */
    UpstreamRequest toUpstream(ServerSpec server, InferenceRequest request, String requestId, Duration timeout);

    /** A whole successful answer as the client's response body; fills {@code usage} from it. */
    byte[] translateAnswer(InferenceRequest request, byte[] body, String requestId, UsageTally usage);

    /** A translator for one streamed answer. */
    StreamTranslator streamTranslator(InferenceRequest request, String requestId);

    /** The message inside one of the server's error bodies, for logs and the client's error. */
    String errorMessage(byte[] body);
}
