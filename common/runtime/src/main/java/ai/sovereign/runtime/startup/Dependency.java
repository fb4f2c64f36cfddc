package ai.sovereign.runtime.startup;

/** A dependency a service can require at start-up, with the properties that locate it. */
public enum Dependency {
    POSTGRES("PostgreSQL", "datasources.default.url", "DATASOURCES_DEFAULT_URL"),
    KAFKA("Kafka", "kafka.bootstrap.servers", "KAFKA_BOOTSTRAP_SERVERS"),
    NEO4J("Neo4j", "neo4j.uri", "NEO4J_URI");

    private final String displayName;
    private final String property;
    private final String environmentVariable;

    Dependency(String displayName, String property, String environmentVariable) {
        this.displayName = displayName;
        this.property = property;
        this.environmentVariable = environmentVariable;
    }

    public String displayName() {
        return displayName;
    }

    public String property() {
        return property;
    }

    public String environmentVariable() {
        return environmentVariable;
    }
}
