package ai.sovereign.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

class Neo4jServerTest {

    @Test
    void nodeWrittenOverBoltIsReadBack() {
        String id = UUID.randomUUID().toString();
        try (var driver = GraphDatabase.driver(SharedInfrastructure.neo4j().boltUri(), AuthTokens.none());
                var session = driver.session()) {
            session.executeWrite(tx -> tx.run("CREATE (:Probe {id: $id, tenant: 't1'})", Map.of("id", id))
                    .consume());
            String tenant = session.executeRead(
                    tx -> tx.run("MATCH (p:Probe {id: $id}) RETURN p.tenant AS tenant", Map.of("id", id))
                            .single()
                            .get("tenant")
                            .asString());
            assertEquals("t1", tenant);
        }
        assertEquals(1, SharedInfrastructure.starts(SharedInfrastructure.Server.NEO4J));
    }
}
