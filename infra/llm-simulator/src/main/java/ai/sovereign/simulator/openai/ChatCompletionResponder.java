package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.generation.ToolCall;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * /v1/chat/completions: {@code chat.completion} objects, or {@code chat.completion.chunk} events
 * whose first delta carries the role, then one delta per token. A tool call streams as the role
 * delta with the call's id and name, then one delta with the complete arguments string.
 */
final class ChatCompletionResponder extends SseResponder {

    ChatCompletionResponder(OpenAiRequest request, Completion completion, String id, long created) {
        super(
                request,
                completion,
                id,
                created,
                "{\"index\":0,\"delta\":{\"content\":",
                "},\"logprobs\":null,\"finish_reason\":null}");
    }

    @Override
    String chunkObject() {
        return "chat.completion.chunk";
    }

    @Override
    void writeOpening(ByteBuf buf) {
        ObjectNode delta =
                Json.object().put("role", "assistant").put("content", "").putNull("refusal");
        writeChunkEvent(buf, withChoice(delta));
    }

    @Override
    public ByteBuf step(ByteBufAllocator alloc, int index) {
        ToolCall call = completion.toolCall();
        if (call == null) {
            return super.step(alloc, index);
        }
        ByteBuf buf = alloc.buffer(512);
        ObjectNode opening =
                Json.object().put("role", "assistant").putNull("content").putNull("refusal");
        ObjectNode named = opening.putArray("tool_calls").addObject();
        named.put("index", 0).put("id", call.id()).put("type", "function");
        named.putObject("function").put("name", call.name()).put("arguments", "");
        writeChunkEvent(buf, withChoice(opening));

        ObjectNode arguments = Json.object();
        arguments
                .putArray("tool_calls")
                .addObject()
                .put("index", 0)
                .putObject("function")
                .put("arguments", call.argumentsJson());
        writeChunkEvent(buf, withChoice(arguments));
        return buf;
    }

    @Override
    ObjectNode finishChoice() {
        ObjectNode choice = Json.object().put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", completion.finishReason().wireName());
        return choice;
    }

    @Override
    public JsonNode complete(Timings timings) {
        ObjectNode body = response("chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        ToolCall call = completion.toolCall();
        if (call == null) {
            message.put("content", completion.text());
        } else {
            message.putNull("content");
            ObjectNode toolCall = message.putArray("tool_calls").addObject();
            toolCall.put("id", call.id()).put("type", "function");
            toolCall.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", completion.finishReason().wireName());
        body.set("usage", usage());
        return body;
    }

    private ObjectNode withChoice(ObjectNode delta) {
        ObjectNode chunk = chunk();
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return chunk;
    }
}
