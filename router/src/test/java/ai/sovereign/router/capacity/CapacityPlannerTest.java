package ai.sovereign.router.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sovereign.runtime.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityPlannerTest {

    @ParameterizedTest(name = "{0} users × {1}/min × ({2}+{3}) tokens at {4} tok/s/server → {5} tok/s, {6} servers")
    @CsvSource({
        // the operations guide's worked example: 200 × 1/60 × 1100 × 1.5 = 5500 tok/s; 1500 per server → 4
        "200, 1, 800, 300, 1500, 5500.0, 4",
        "1, 1, 100, 20, 1000, 3.0, 1",
        "1000, 2, 500, 500, 2000, 50000.0, 25",
        // exactly at a server boundary: no extra server for rounding noise
        "40, 1, 1000, 0, 1000, 1000.0, 1",
        "41, 1, 1000, 0, 1000, 1025.0, 2",
    })
    void appliesTheFormulaWithItsBuffer(
            long users, double perMinute, long input, long output, double perServer, double required, long servers) {
        CapacityPlanner.Estimate estimate = CapacityPlanner.estimate(
                new CapacityPlanner.Demand(users, perMinute, input, output, perServer), null, 2);
        assertEquals(required, estimate.requiredTokensPerSecond());
        assertEquals(servers, estimate.serversNeeded());
        assertEquals("given", estimate.tokensPerSecondSource());
        assertEquals(Math.max(0, servers - 2), estimate.additionalServersNeeded());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "users, 0, 1, 10, 10, 100",
        "requests_per_user_per_minute, 5, 0, 10, 10, 100",
        "avg_input_tokens, 5, 1, -1, 10, 100",
        "avg_output_tokens, 5, 1, 0, 0, 100",
        "tokens_per_second, 5, 1, 10, 10, -3",
    })
    void refusesAnImpossibleDemandNamingTheParameter(
            String param, long users, double perMinute, long input, long output, double perServer) {
        ApiException error = assertThrows(
                ApiException.class,
                () -> CapacityPlanner.estimate(
                        new CapacityPlanner.Demand(users, perMinute, input, output, perServer), 500.0, 1));
        assertEquals(param, error.param());
    }

    @org.junit.jupiter.api.Test
    void usesTheMeasuredThroughputWhenNoneIsGivenAndAsksForOneWhenNothingWasMeasured() {
        CapacityPlanner.Estimate measured =
                CapacityPlanner.estimate(new CapacityPlanner.Demand(200, 1, 800, 300, null), 2750.0, 3);
        assertEquals("measured", measured.tokensPerSecondSource());
        assertEquals(2, measured.serversNeeded());
        ApiException none = assertThrows(
                ApiException.class,
                () -> CapacityPlanner.estimate(new CapacityPlanner.Demand(200, 1, 800, 300, null), null, 3));
        assertEquals("tokens_per_second", none.param());
    }
}
