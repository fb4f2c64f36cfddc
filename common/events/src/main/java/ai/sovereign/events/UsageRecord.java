package ai.sovereign.events;

import java.time.Instant;

/**
 * The metering of one finished LLM request, whatever its outcome. Topic {@value Topics#LLM_USAGE}, keyed by API
 * key id. Consumers count it once per envelope id.
 *
 * @param requestId          the request id (also in logs and the {@code X-Request-Id} header)
 * @param keyId              the API key's id (never the key itself)
 * @param tenant             the key's tenant
 * @param model              the model as the client named it
 * @param serverId           the inference server that served it; null when none was reached
 * @param endpoint           the client-facing path, e.g. {@code /v1/chat/completions}, {@code /api/chat}
 * @param stream             whether the response was streamed
 * @param promptTokens       tokens in the prompt (0 when unknown)
 * @param completionTokens   tokens generated
 * @param timeToFirstTokenMs milliseconds from receipt to the first streamed token; null when none was streamed
 * @param durationMs         milliseconds from receipt to the end of the response
 * @param status             how it ended
 * @param httpStatus         the HTTP status the client got
 * @param errorType          OpenAI-style error type, e.g. {@code rate_limit_exceeded}; null on success
 * @param startedAt          when the gateway received the request
 */
public record UsageRecord(
        String requestId,
        String keyId,
        String tenant,
        String model,
        @Nullable String serverId,
        String endpoint,
        boolean stream,
        int promptTokens,
        int completionTokens,
        @Nullable Double timeToFirstTokenMs,
        double durationMs,
        Status status,
        int httpStatus,
        @Nullable String errorType,
        Instant startedAt)
        implements EventPayload {

    public static final String TYPE = "ai.sovereign.llm.usage.v1";

    @Override
    public String partitionKey() {
        return keyId;
    }

    /** How the request ended: served, failed, cancelled by the client, or refused before reaching a server. */
    public enum Status {
        SUCCESS,
        ERROR,
        CANCELLED,
        REJECTED
    }
}
