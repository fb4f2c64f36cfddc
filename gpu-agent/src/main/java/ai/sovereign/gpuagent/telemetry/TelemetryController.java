package ai.sovereign.gpuagent.telemetry;

import ai.sovereign.events.CloudEvent;
import ai.sovereign.events.EventCodec;
import ai.sovereign.events.GpuTelemetry;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /api/agent/telemetry}: the last snapshot, exactly as published to {@code gpu.telemetry.v1}. */
@Controller("/api/agent")
public class TelemetryController {

    private final TelemetryLoop loop;
    private final EventCodec codec = new EventCodec();

    public TelemetryController(TelemetryLoop loop) {
        this.loop = loop;
    }

    @Get(value = "/telemetry", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> telemetry() {
        CloudEvent<GpuTelemetry> event = loop.lastEvent();
        if (event == null) {
            throw new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "no telemetry snapshot has been taken yet; retry after gpu-agent.interval",
                    "not_ready",
                    null);
        }
        return HttpResponse.ok(codec.encodeToString(event)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
