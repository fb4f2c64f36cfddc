package ai.sovereign.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * Uses every server again after the other test classes did (in whatever order JUnit runs them): each must still
 * have been started exactly once in this JVM.
 */
class SharedStartTest {

    @Test
    void everyServerIsStartedOnceForTheWholeJvm() {
        assertSame(SharedInfrastructure.kafka(), SharedInfrastructure.kafka());
        assertSame(SharedInfrastructure.postgres(), SharedInfrastructure.postgres());
        assertSame(SharedInfrastructure.neo4j(), SharedInfrastructure.neo4j());
        for (SharedInfrastructure.Server server : SharedInfrastructure.Server.values()) {
            assertEquals(1, SharedInfrastructure.starts(server), server + " start count");
        }
    }
}
