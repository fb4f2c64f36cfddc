package ai.sovereign.simulator.http;

import ai.sovereign.simulator.metrics.Endpoint;
import ai.sovereign.simulator.metrics.SimulatorMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes requests by method and path. Exact paths are a hash lookup because this runs for every
 * benchmark request; prefixes (control API, /v1/models/{id}) are checked only after a miss.
 */
@ChannelHandler.Sharable
public final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

    private record Binding(Endpoint endpoint, Route route) {}

    private record PrefixBinding(HttpMethod method, String prefix, Endpoint endpoint, Route route) {}

    private final Map<String, Map<HttpMethod, Binding>> exact = new HashMap<>();
    private final List<PrefixBinding> prefixes = new ArrayList<>();
    private final SimulatorMetrics metrics;

    public RequestDispatcher(SimulatorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Registers a route; call before the server starts. */
    public RequestDispatcher on(HttpMethod method, String path, Endpoint endpoint, Route route) {
        exact.computeIfAbsent(path, p -> new HashMap<>()).put(method, new Binding(endpoint, route));
        return this;
    }

    /** Registers a route for every path under {@code prefix}. */
    public RequestDispatcher onPrefix(HttpMethod method, String prefix, Endpoint endpoint, Route route) {
        prefixes.add(new PrefixBinding(method, prefix, endpoint, route));
        return this;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpExchange exchange = new HttpExchange(ctx.channel(), request);
        if (!request.decoderResult().isSuccess()) {
            exchange.sendText(HttpResponseStatus.BAD_REQUEST, "text/plain; charset=utf-8", "400 bad request");
            return;
        }
        Binding binding = resolve(exchange);
        if (binding == null) {
            return;
        }
        metrics.received(binding.endpoint());
        try {
            binding.route().handle(exchange);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "handler failed for " + exchange.method() + " " + exchange.path(), e);
            if (!exchange.started()) {
                exchange.sendText(
                        HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "text/plain; charset=utf-8",
                        "internal simulator error: " + e);
            } else {
                ctx.close();
            }
        }
    }

    // Answers 404 or 405 itself and returns null when nothing matches.
    private Binding resolve(HttpExchange exchange) {
        HttpMethod method = HttpMethod.HEAD.equals(exchange.method()) ? HttpMethod.GET : exchange.method();
        Map<HttpMethod, Binding> byMethod = exact.get(exchange.path());
        if (byMethod != null) {
            Binding binding = byMethod.get(method);
            if (binding == null) {
                notAllowed(exchange, byMethod.keySet());
            }
            return binding;
        }
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (PrefixBinding p : prefixes) {
            if (exchange.path().startsWith(p.prefix())) {
                if (p.method().equals(method)) {
                    return new Binding(p.endpoint(), p.route());
                }
                allowed.add(p.method());
            }
        }
        if (!allowed.isEmpty()) {
            notAllowed(exchange, allowed);
        } else {
            exchange.sendText(HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8", "404 page not found");
        }
        return null;
    }

    private static void notAllowed(HttpExchange exchange, Set<HttpMethod> allowed) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                Unpooled.copiedBuffer("405 method not allowed", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers()
                .set(
                        HttpHeaderNames.ALLOW,
                        String.join(
                                ", ",
                                allowed.stream().map(HttpMethod::name).sorted().toList()));
        exchange.send(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Clients that give up (timeouts, resets) are routine in failure tests; just drop the channel.
        ctx.close();
    }
}
