package ai.sovereign.simulator.control;

import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.simulator.metrics.FailureKind;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import tools.jackson.databind.node.ObjectNode;

/** GET /sim/stats: the counters of {@link SimulatorMetrics} as one JSON document. */
final class StatsJson {

    private StatsJson() {}

    static ObjectNode write(SimulatorMetrics metrics, ModelRegistry models) {
        ObjectNode body = Json.object();
        ObjectNode requests = body.putObject("requests");
        for (Endpoint endpoint : Endpoint.values()) {
            requests.put(endpoint.path(), metrics.requests(endpoint));
        }
        body.put("pulls", metrics.pulls());
        body.put("activeRequests", metrics.activeRequests());
        ObjectNode perModel = body.putObject("models");
        for (SimulatedModel model : models.all()) {
            String name = model.name();
            ObjectNode stats = perModel.putObject(name);
            stats.put("running", metrics.runningRequests(name));
            stats.put("waiting", metrics.waitingRequests(name));
            stats.put("completed", metrics.completedRequests(name));
            stats.put("promptTokens", metrics.promptTokens(name));
            stats.put("generatedTokens", metrics.generatedTokens(name));
            ObjectNode failures = stats.putObject("failures");
            for (FailureKind kind : FailureKind.values()) {
                failures.put(kind.label(), metrics.failures(name, kind));
            }
        }
        return body;
    }
}
