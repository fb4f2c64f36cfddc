package ai.sovereign.ingestion;

import ai.sovereign.runtime.startup.Dependency;
import ai.sovereign.runtime.startup.ServiceLauncher;

/** Starts the ingestion: the knowledge store: upload, parse, chunk, embed, vectors and graph, hybrid search, RAG chat with citations. */
public final class IngestionApplication {

    private IngestionApplication() {}

    public static void main(String[] args) {
        ServiceLauncher.run(
                "ingestion", IngestionApplication.class, args, Dependency.POSTGRES, Dependency.KAFKA, Dependency.NEO4J);
    }
}
