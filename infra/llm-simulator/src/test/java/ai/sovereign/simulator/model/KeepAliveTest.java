package ai.sovereign.simulator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.sovereign.simulator.json.Json;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeepAliveTest {

    @ParameterizedTest(name = "keep_alive {0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "'\"5m\"'     | PT5M",
                "'\"1h30m\"'  | PT1H30M",
                "'\"10s\"'    | PT10S",
                "'\"250ms\"'  | PT0.25S",
                "'\"1.5h\"'   | PT1H30M",
                "'\"0\"'      | PT0S",
                "'0'          | PT0S",
                "'300'        | PT5M",
                "'\"120\"'    | PT2M",
                "'null'       | PT5M"
            })
    void parsesSecondsAndGoDurations(String json, String expected) {
        assertEquals(Duration.parse(expected), KeepAlive.parse(Json.parse(json)));
    }

    @ParameterizedTest(name = "keep_alive {0} keeps the model for ever")
    @ValueSource(strings = {"-1", "\"-1\"", "\"-5m\""})
    void negativeValuesKeepTheModelLoadedForEver(String json) {
        assertEquals(KeepAlive.FOREVER, KeepAlive.parse(Json.parse(json)));
    }

    @ParameterizedTest(name = "keep_alive {0} is rejected")
    @ValueSource(strings = {"\"soon\"", "\"5 minutes\"", "true", "{}"})
    void rejectsValuesOllamaRejects(String json) {
        assertThrows(IllegalArgumentException.class, () -> KeepAlive.parse(Json.parse(json)));
    }
}
