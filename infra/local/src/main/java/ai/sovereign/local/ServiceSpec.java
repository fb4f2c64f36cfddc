package ai.sovereign.local;

import java.util.List;

/** One of the platform's services as the all-in-one runs it: its jar inside the launcher, port and dependencies. */
public record ServiceSpec(String name, int defaultPort, boolean usesPostgres, boolean usesNeo4j) {

    /** In start order: consumers of events first, the front door last but one, the GPU hosts' agents last. */
    public static final List<ServiceSpec> ALL = List.of(
            new ServiceSpec("audit-service", 8090, true, false),
            new ServiceSpec("router", 5100, true, false),
            new ServiceSpec("ingestion", 8000, true, true),
            new ServiceSpec("backup-service", 8070, true, true),
            new ServiceSpec("gateway", 8080, true, false));

    /** Where the launcher carries the service's own classes and resources. */
    public String jarResource() {
        return "services/" + name + ".jar";
    }
}
