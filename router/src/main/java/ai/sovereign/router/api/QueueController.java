package ai.sovereign.router.api;

import ai.sovereign.router.queue.QueueSnapshot;
import ai.sovereign.router.queue.SlotScheduler;
import ai.sovereign.router.replication.FleetStateReplication;
import ai.sovereign.runtime.security.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.Map;

/** The queue: what waits, pause and resume. Its size limit and timeout are routing config (PATCH config/queue). */
@Controller("/api/orchestrator/queue")
public class QueueController {

    private final SlotScheduler scheduler;
    private final AdminAccess admin;
    private final FleetStateReplication replication;

    public QueueController(SlotScheduler scheduler, AdminAccess admin, FleetStateReplication replication) {
        this.scheduler = scheduler;
        this.admin = admin;
        this.replication = replication;
    }

    @Get
    QueueSnapshot queue(HttpRequest<?> request, @QueryValue(defaultValue = "100") int limit) {
        admin.require(request);
        return scheduler.snapshot(Math.clamp(limit, 0, 10_000));
    }

    /** Requests keep queueing up to queue.maxSize; none is dispatched until resumed. */
    @Post("/pause")
    QueueSnapshot pause(HttpRequest<?> request) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        replication.queuePaused(true, caller.subject());
        admin.audit(
                request,
                caller,
                "router.queue.pause",
                "queue",
                "default",
                Map.of("size", scheduler.size(), "reason", reason));
        return scheduler.snapshot(0);
    }

    @Post("/resume")
    QueueSnapshot resume(HttpRequest<?> request) {
        Caller caller = admin.require(request);
        String reason = AdminAccess.reason(request);
        replication.queuePaused(false, caller.subject());
        admin.audit(
                request,
                caller,
                "router.queue.resume",
                "queue",
                "default",
                Map.of("size", scheduler.size(), "reason", reason));
        return scheduler.snapshot(0);
    }
}
