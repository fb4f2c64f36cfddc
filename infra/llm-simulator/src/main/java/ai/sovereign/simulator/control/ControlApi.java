package ai.sovereign.simulator.control;

import ai.sovereign.simulator.behaviour.BehaviourJson;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import ai.sovereign.simulator.http.HttpExchange;
import ai.sovereign.simulator.json.Json;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import ai.sovereign.simulator.model.ModelRegistry;
import ai.sovereign.simulator.model.SimulatedModel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own API under /sim/, so a simulator in another process (a benchmark's backend)
 * can be reconfigured between runs. Behaviour bodies use {@link BehaviourJson}'s fields.
 *
 * <pre>
 * GET    /sim/models                      models with behaviour and load state
 * PUT    /sim/models/{model}              add (body: optional behaviour fields over the default)
 * DELETE /sim/models/{model}              remove
 * GET    /sim/models/{model}/behaviour    current behaviour
 * PUT    /sim/models/{model}/behaviour    replace (absent fields take the default behaviour's values)
 * PATCH  /sim/models/{model}/behaviour    change only the given fields
 * GET    /sim/behaviour                   the default behaviour (for models added later)
 * PATCH  /sim/behaviour                   change the given fields in the default and in every model
 * GET    /sim/stats                       counters as JSON
 * POST   /sim/stats/reset                 zero the counters
 * </pre>
 */
public final class ControlApi {

    public static final String PREFIX = "/sim/";
    private static final String MODELS = "models";
    private static final String BEHAVIOUR_SUFFIX = "/behaviour";

    private final ModelRegistry models;
    private final SimulatorMetrics metrics;

    public ControlApi(ModelRegistry models, SimulatorMetrics metrics) {
        this.models = models;
        this.metrics = metrics;
    }

    public void handle(HttpExchange exchange) {
        String rest = exchange.path().substring(PREFIX.length());
        HttpMethod method = HttpMethod.HEAD.equals(exchange.method()) ? HttpMethod.GET : exchange.method();
        try {
            if (rest.equals(MODELS) && HttpMethod.GET.equals(method)) {
                listModels(exchange);
            } else if (rest.startsWith(MODELS + "/") && rest.endsWith(BEHAVIOUR_SUFFIX)) {
                modelBehaviour(
                        exchange,
                        method,
                        decode(rest.substring(MODELS.length() + 1, rest.length() - BEHAVIOUR_SUFFIX.length())));
            } else if (rest.startsWith(MODELS + "/")) {
                model(exchange, method, decode(rest.substring(MODELS.length() + 1)));
            } else if (rest.equals("behaviour")) {
                defaultBehaviour(exchange, method);
            } else if (rest.equals("stats") && HttpMethod.GET.equals(method)) {
                exchange.sendJson(HttpResponseStatus.OK, StatsJson.write(metrics, models));
            } else if (rest.equals("stats/reset") && HttpMethod.POST.equals(method)) {
                metrics.reset();
                exchange.sendEmpty(HttpResponseStatus.NO_CONTENT);
            } else {
                error(exchange, HttpResponseStatus.NOT_FOUND, "no control endpoint " + method + " " + exchange.path());
            }
        } catch (IllegalArgumentException e) {
            error(exchange, HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            if (!Json.isMalformed(e)) {
                throw e;
            }
            error(
                    exchange,
                    HttpResponseStatus.BAD_REQUEST,
                    "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private void listModels(HttpExchange exchange) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("models");
        Instant now = Instant.now();
        for (SimulatedModel model : models.all()) {
            list.add(describe(model, now));
        }
        exchange.sendJson(HttpResponseStatus.OK, body);
    }

    private void model(HttpExchange exchange, HttpMethod method, String name) {
        if (HttpMethod.GET.equals(method)) {
            models.find(name)
                    .ifPresentOrElse(
                            m -> exchange.sendJson(HttpResponseStatus.OK, describe(m, Instant.now())),
                            () -> modelNotFound(exchange, name));
        } else if (HttpMethod.PUT.equals(method)) {
            ModelBehaviour behaviour = BehaviourJson.apply(models.defaultBehaviour(), Json.parse(exchange.body()));
            exchange.sendJson(HttpResponseStatus.OK, describe(models.put(name, behaviour), Instant.now()));
        } else if (HttpMethod.DELETE.equals(method)) {
            if (models.remove(name).isPresent()) {
                exchange.sendEmpty(HttpResponseStatus.NO_CONTENT);
            } else {
                modelNotFound(exchange, name);
            }
        } else {
            error(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not supported on " + exchange.path());
        }
    }

    private void modelBehaviour(HttpExchange exchange, HttpMethod method, String name) {
        SimulatedModel model = models.find(name).orElse(null);
        if (model == null) {
            modelNotFound(exchange, name);
            return;
        }
        if (HttpMethod.PUT.equals(method)) {
            model.behaviour(BehaviourJson.apply(models.defaultBehaviour(), Json.parse(exchange.body())));
        } else if (HttpMethod.PATCH.equals(method)) {
            model.behaviour(BehaviourJson.apply(model.behaviour(), Json.parse(exchange.body())));
        } else if (!HttpMethod.GET.equals(method)) {
            error(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not supported on " + exchange.path());
            return;
        }
        exchange.sendJson(HttpResponseStatus.OK, BehaviourJson.write(model.behaviour()));
    }

    private void defaultBehaviour(HttpExchange exchange, HttpMethod method) {
        if (HttpMethod.PATCH.equals(method)) {
            JsonNode patch = Json.parse(exchange.body());
            // Validate once against the default so a bad field changes nothing at all.
            ModelBehaviour newDefault = BehaviourJson.apply(models.defaultBehaviour(), patch);
            for (SimulatedModel model : models.all()) {
                model.behaviour(BehaviourJson.apply(model.behaviour(), patch));
            }
            models.defaultBehaviour(newDefault);
        } else if (!HttpMethod.GET.equals(method)) {
            error(exchange, HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not supported on " + exchange.path());
            return;
        }
        exchange.sendJson(HttpResponseStatus.OK, BehaviourJson.write(models.defaultBehaviour()));
    }

    private static ObjectNode describe(SimulatedModel model, Instant now) {
        ObjectNode node = Json.object().put("name", model.name()).put("loaded", model.isLoaded(now));
        node.set("behaviour", BehaviourJson.write(model.behaviour()));
        return node;
    }

    private static void modelNotFound(HttpExchange exchange, String name) {
        error(exchange, HttpResponseStatus.NOT_FOUND, "model \"" + name + "\" not found");
    }

    private static void error(HttpExchange exchange, HttpResponseStatus status, String message) {
        exchange.sendJson(status, Json.object().put("error", message));
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
