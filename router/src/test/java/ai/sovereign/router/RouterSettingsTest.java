package ai.sovereign.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.router.commands.CommandSettings;
import ai.sovereign.router.config.RouterSettings;
import ai.sovereign.router.events.EventSettings;
import ai.sovereign.router.fleet.BackendClientSettings;
import ai.sovereign.simulator.behaviour.ModelBehaviour;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The router's settings bind from the property names docs/configuration.md lists, with its defaults, and are checked. */
class RouterSettingsTest {

    @Test
    void everySettingBindsFromItsDocumentedProperty() {
        Map<String, Object> properties = Map.of(
                "router.version",
                "9.9.9",
                "router.connect-timeout",
                "750ms",
                "router.max-connections-per-server",
                7,
                "router.commands.results-group",
                "router-results-test",
                "router.commands.publish-timeout",
                "3s",
                "router.events.batch-interval",
                "20ms");
        try (RouterHarness router = RouterHarness.start(1, "", List.of(), properties, ModelBehaviour.instant())) {
            ApplicationContext context = router.context;
            RouterSettings settings = context.getBean(RouterSettings.class);
            assertEquals("9.9.9", settings.version());
            assertEquals(router.configDirectory.toString(), settings.configDirectory());
            assertEquals(router.configDirectory.resolve("bootstrap.json").toString(), settings.bootstrapFile());
            assertEquals(
                    new BackendClientSettings(Duration.ofMillis(750), 7), context.getBean(BackendClientSettings.class));
            assertEquals(
                    new CommandSettings("router-results-test", Duration.ofSeconds(3)),
                    context.getBean(CommandSettings.class));
            assertEquals(new EventSettings(Duration.ofMillis(20)), context.getBean(EventSettings.class));
            assertEquals(
                    "9.9.9",
                    router.adminJson("GET", "health", null).path("version").asString());
        }
    }

    @Test
    void unsetSettingsTakeTheirDocumentedDefaults() {
        try (RouterHarness router = RouterHarness.start(1, "", List.of(), ModelBehaviour.instant())) {
            ApplicationContext context = router.context;
            assertEquals("0.1.0-SNAPSHOT", context.getBean(RouterSettings.class).version());
            assertEquals(
                    new BackendClientSettings(Duration.ofSeconds(2), 1024),
                    context.getBean(BackendClientSettings.class));
            assertEquals(
                    new CommandSettings("router-command-results", Duration.ofSeconds(5)),
                    context.getBean(CommandSettings.class));
            assertEquals(new EventSettings(Duration.ofMillis(100)), context.getBean(EventSettings.class));
        }
    }

    @Test
    void aBadValueStopsTheStartNamingTheProperty() {
        RuntimeException failure = assertThrows(
                RuntimeException.class,
                () -> RouterHarness.start("{\"servers\":[]}", Map.of("router.max-connections-per-server", -5))
                        .close());
        assertTrue(
                messages(failure).contains("router.max-connections-per-server must be ≥ 1 (got -5)"),
                messages(failure));
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of(
                        (Supplier<?>) () -> new BackendClientSettings(Duration.ZERO, 1),
                        "router.connect-timeout must be positive (got PT0S)"),
                Arguments.of(
                        (Supplier<?>) () -> new BackendClientSettings(Duration.ofSeconds(2), 0),
                        "router.max-connections-per-server must be ≥ 1 (got 0)"),
                Arguments.of(
                        (Supplier<?>) () -> new RouterSettings(null, " ", "1"),
                        "router.config-directory must name a directory (got an empty value)"),
                Arguments.of(
                        (Supplier<?>) () -> new RouterSettings(null, ".", ""),
                        "router.version must not be empty (it is reported by the health endpoint)"),
                Arguments.of(
                        (Supplier<?>) () -> new CommandSettings("", Duration.ofSeconds(5)),
                        "router.commands.results-group must name a Kafka consumer group (got an empty value)"),
                Arguments.of(
                        (Supplier<?>) () -> new CommandSettings("g", Duration.ofSeconds(-1)),
                        "router.commands.publish-timeout must be positive (got PT-1S)"),
                Arguments.of(
                        (Supplier<?>) () -> new EventSettings(Duration.ofMillis(-5)),
                        "router.events.batch-interval must be ≥ 0 (got PT-0.005S)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badValues")
    void aBadValueIsRefusedNamingThePropertyAndTheValue(Supplier<?> settings, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, settings::get).getMessage());
    }

    @Test
    void anUnsetBootstrapFileMeansNone() {
        assertEquals("", new RouterSettings(null, ".", "1").bootstrapFile());
    }

    private static String messages(Throwable error) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return String.join(" <- ", messages);
    }
}
