package ai.sovereign.runtime.metrics;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.UriRouteInfo;
import io.micronaut.web.router.UriRouteMatch;

/**
 * Times every HTTP request as {@code http_server_requests_seconds{method,uri,status}}. The {@code uri} tag is the
 * route template ({@code /api/v1/sources/{id}}), never the raw path, so the series count stays bounded.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public final class HttpServerMetricsFilter implements Ordered {

    private static final String START = "sovereign.metrics.start";

    private final HttpRequestTimer timer;

    public HttpServerMetricsFilter(HttpRequestTimer timer) {
        this.timer = timer;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 1;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(START, System.nanoTime());
    }

    @ResponseFilter
    public void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
        Long start = request.getAttribute(START, Long.class).orElse(null);
        if (start == null) {
            return;
        }
        timer.record(request.getMethodName(), routeTemplate(request, response.code()), response.code(), start);
    }

    private static String routeTemplate(HttpRequest<?> request, int status) {
        return BasicHttpAttributes.getRouteMatchInfo(request)
                .filter(UriRouteMatch.class::isInstance)
                .map(match -> ((UriRouteMatch<?, ?>) match).getRouteInfo())
                .filter(UriRouteInfo.class::isInstance)
                .map(info -> ((UriRouteInfo<?, ?>) info).getUriMatchTemplate().toString())
                .orElse(status == 404 ? "NOT_FOUND" : "UNKNOWN");
    }
}
