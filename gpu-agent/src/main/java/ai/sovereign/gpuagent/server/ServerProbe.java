package ai.sovereign.gpuagent.server;

import ai.sovereign.events.GpuTelemetry.ServerStatus;

/** Asks one kind of inference server what it serves and how loaded it is. */
interface ServerProbe {

    /** The server's status now; never throws: an unreachable server is an unhealthy status with the error. */
    ServerStatus probe(InferenceServer server);

    static ServerStatus unhealthy(InferenceServer server, String error) {
        return new ServerStatus(
                server.id(),
                server.url(),
                server.type(),
                server.maxConcurrency(),
                false,
                error,
                java.util.List.of(),
                java.util.List.of(),
                null,
                null,
                null);
    }
}
