package ai.sovereign.router.forward;

import tools.jackson.databind.node.ObjectNode;

/**
 * A client's inference request, parsed and checked.
 *
 * @param body         the request as JSON; adapters copy before changing it
 * @param rawBody      the bytes as received, forwarded unchanged where nothing needs changing
 * @param includeUsage the client asked for a usage chunk ({@code stream_options.include_usage})
 */
public record InferenceRequest(Endpoint endpoint, String model, boolean stream, boolean includeUsage, int priority,
                               ObjectNode body, byte[] rawBody) {
}
