package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.generation.Completion;
import ai.sovereign.simulator.inference.Timings;
import ai.sovereign.simulator.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** /v1/completions: {@code text_completion} objects, streamed as chunks with {@code choices[0].text}. */
final class TextCompletionResponder extends SseResponder {

    TextCompletionResponder(OpenAiRequest request, Completion completion, String id, long created) {
        super(request, completion, id, created, "{\"text\":", ",\"index\":0,\"logprobs\":null,\"finish_reason\":null}");
    }

    @Override
    String chunkObject() {
        return "text_completion";
    }

    @Override
    ObjectNode finishChoice() {
        ObjectNode choice = Json.object().put("text", "").put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", completion.finishReason().wireName());
        return choice;
    }

    @Override
    public JsonNode complete(Timings timings) {
        ObjectNode body = response("text_completion");
        ObjectNode choice = body.putArray("choices")
                .addObject()
                .put("text", completion.text())
                .put("index", 0);
        choice.putNull("logprobs");
        choice.put("finish_reason", completion.finishReason().wireName());
        body.set("usage", usage());
        return body;
    }
}
