package ai.sovereign.simulator.openai;

import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** GET /v1/models and GET /v1/models/{id}. */
public final class OpenAiModelsApi {

    private static final String PREFIX = "/v1/models/";

    private final ModelRegistry models;

    public OpenAiModelsApi(ModelRegistry models) {
        this.models = models;
    }

    public void list(HttpExchange exchange) {
        ObjectNode body = Json.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (SimulatedModel model : models.all()) {
            data.add(model(model));
        }
        exchange.sendJson(HttpResponseStatus.OK, body);
    }

    public void retrieve(HttpExchange exchange) {
        String id = URLDecoder.decode(exchange.path().substring(PREFIX.length()), StandardCharsets.UTF_8);
        models.find(id)
                .ifPresentOrElse(
                        model -> exchange.sendJson(HttpResponseStatus.OK, model(model)),
                        () -> OpenAiErrors.modelNotFound(exchange, id));
    }

    private static ObjectNode model(SimulatedModel model) {
        return Json.object()
                .put("id", model.name())
                .put("object", "model")
                .put("created", model.modifiedAt().getEpochSecond())
                .put("owned_by", "library");
    }
}
