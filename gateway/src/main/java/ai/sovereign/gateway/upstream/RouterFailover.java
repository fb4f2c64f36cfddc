package ai.sovereign.gateway.upstream;

import ai.sovereign.runtime.http.PooledHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the gateway's calls over the router replicas of {@code gateway.upstreams.router} (a comma-separated list)
 * and moves a call to the next replica when its replica fails it before any answer: the connection cannot be opened
 * (refused, unreachable) or is closed before the response headers (the replica died or restarted with the request).
 * The client has been sent nothing yet, so the call is sent again as it was; a replica that failed one is passed over
 * for {@value #PASS_OVER_MILLIS} ms. A call the router did not answer in time (504) or refused with a status is not
 * moved: it may be queued or running there. With one router nothing changes.
 *
 * <p>The cost of moving a call: a request whose replica died while generating is generated again on the other (the
 * client is charged once, for the answer it gets).
 */
final class RouterFailover {

    private static final Logger LOG = LoggerFactory.getLogger(RouterFailover.class);
    static final long PASS_OVER_MILLIS = 2_000;

    private final List<URI> routers;
    private final AtomicLongArray passOverUntil;
    private final AtomicInteger next = new AtomicInteger();

    RouterFailover(List<URI> routers) {
        this.routers = List.copyOf(routers);
        this.passOverUntil = new AtomicLongArray(routers.size());
    }

    /** Whether {@code uri} is a call to one of the routers (its scheme, host and port those of one of them). */
    boolean isRouter(URI uri) {
        return indexOf(uri) >= 0;
    }

    /** The replicas to try for one call, in order: from the next in turn, those passed over last. */
    int[] order() {
        int n = routers.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        long now = System.currentTimeMillis();
        int[] order = new int[n];
        int i = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < n; k++) {
                int candidate = (start + k) % n;
                boolean passedOver = passOverUntil.get(candidate) > now;
                if (passedOver == (pass == 1)) {
                    order[i++] = candidate;
                }
            }
        }
        return order;
    }

    /** {@code uri} sent to router {@code index} instead: same path and query. */
    URI on(int index, URI uri) {
        URI router = routers.get(index);
        try {
            return new URI(
                    router.getScheme(),
                    uri.getRawUserInfo(),
                    router.getHost(),
                    router.getPort(),
                    uri.getRawPath(),
                    uri.getRawQuery(),
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Notes that router {@code index} failed a call before answering; calls pass it over for a while. */
    void failed(int index, Throwable error) {
        long until = System.currentTimeMillis() + PASS_OVER_MILLIS;
        if (passOverUntil.getAndSet(index, until) < System.currentTimeMillis()) {
            LOG.warn(
                    "router {} failed a call before answering ({}); calls go to the other router replicas for {} ms",
                    routers.get(index),
                    error.toString(),
                    PASS_OVER_MILLIS);
        }
    }

    /** Whether a call that failed with {@code error} before any answer may be sent to another replica. */
    static boolean movable(Throwable error) {
        return error instanceof IOException
                && !(error instanceof HttpTimeoutException)
                && !(error instanceof PooledHttpClient.ConnectionLimitException);
    }

    int size() {
        return routers.size();
    }

    /**
     * Sends {@code request} (to a router) on {@code client}, moving it to the next replica as the class says; the
     * returned exchange controls whichever attempt is current.
     */
    PooledHttpClient.Exchange send(
            PooledHttpClient client, PooledHttpClient.Request request, PooledHttpClient.Listener listener) {
        if (routers.size() == 1) {
            return client.send(request, listener);
        }
        Attempts attempts = new Attempts(client, request, listener, order());
        attempts.start();
        return attempts;
    }

    private final class Attempts implements PooledHttpClient.Exchange {
        private final PooledHttpClient client;
        private final PooledHttpClient.Request request;
        private final PooledHttpClient.Listener listener;
        private final int[] order;
        private int attempt;
        private volatile PooledHttpClient.Exchange current;
        private volatile boolean cancelled;

        Attempts(
                PooledHttpClient client,
                PooledHttpClient.Request request,
                PooledHttpClient.Listener listener,
                int[] order) {
            this.client = client;
            this.request = request;
            this.listener = listener;
            this.order = order;
        }

        void start() {
            int router = order[attempt];
            PooledHttpClient.Request moved = new PooledHttpClient.Request(
                    on(router, request.uri()),
                    request.method(),
                    request.headers(),
                    request.body(),
                    request.responseTimeout());
            current = client.send(moved, new PooledHttpClient.Listener() {
                private boolean answered;

                @Override
                public void onHeaders(HttpResponse response) {
                    answered = true;
                    listener.onHeaders(response);
                }

                @Override
                public void onContent(ByteBuf content) {
                    listener.onContent(content);
                }

                @Override
                public void onComplete() {
                    listener.onComplete();
                }

                @Override
                public void onError(Throwable error) {
                    if (!answered && !cancelled && movable(error) && attempt + 1 < order.length) {
                        failed(router, error);
                        attempt++;
                        start();
                    } else {
                        listener.onError(error);
                    }
                }
            });
            if (cancelled) {
                current.cancel();
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            PooledHttpClient.Exchange exchange = current;
            if (exchange != null) {
                exchange.cancel();
            }
        }

        @Override
        public void pause() {
            current.pause();
        }

        @Override
        public void resume() {
            current.resume();
        }
    }

    private int indexOf(URI uri) {
        for (int i = 0; i < routers.size(); i++) {
            URI router = routers.get(i);
            if (router.getHost().equalsIgnoreCase(uri.getHost())
                    && port(router) == port(uri)
                    && router.getScheme().equalsIgnoreCase(uri.getScheme())) {
                return i;
            }
        }
        return -1;
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
