package ai.sovereign.local;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.runtime.security.ServiceTokenSigner;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The boundaries the build guards, read from the main classes every module of the build compiled (its
 * {@code target/classes}; this module is built after all of them): a service never imports another service (they talk
 * over HTTP and Kafka only), the shared modules import no service, a service's packages form no cycle, and the
 * benchmarks reach a service only through its {@code testsupport} package.
 */
class ArchitectureTest {

    /** The root package of each deployable service, below {@code ai.sovereign}. */
    static final List<String> SERVICES = List.of("gateway", "router", "gpuagent", "ingestion", "backup", "audit");
    /** The modules whose main classes are read, relative to the repository root. */
    static final List<String> MODULES = List.of(
            "gateway",
            "router",
            "gpu-agent",
            "ingestion",
            "backup-service",
            "audit-service",
            "common/runtime",
            "common/events",
            "common/testkit",
            "infra/llm-simulator",
            "bench");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent(); // infra/local -> the repository
        List<Path> compiled = MODULES.stream()
                .map(module -> root.resolve(module).resolve("target/classes"))
                .toList();
        for (Path path : compiled) {
            assertTrue(Files.isDirectory(path), path + " is missing: build the whole project (./mvnw verify)");
        }
        classes = new ClassFileImporter().importPaths(compiled);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void aServiceImportsNoOtherService(String service) {
        String[] others = SERVICES.stream()
                .filter(s -> !s.equals(service))
                .map(s -> "ai.sovereign." + s + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("ai.sovereign." + service + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .check(classes);
    }

    @Test
    void theSharedModulesImportNoService() {
        String[] services =
                SERVICES.stream().map(s -> "ai.sovereign." + s + "..").toArray(String[]::new);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "ai.sovereign.runtime..",
                        "ai.sovereign.events..",
                        "ai.sovereign.testkit..",
                        "ai.sovereign.simulator..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(services)
                .check(classes);
    }

    @Test
    void theEventContractsDependOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("ai.sovereign.events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.sovereign.runtime..", "ai.sovereign.testkit..", "ai.sovereign.simulator..")
                .check(classes);
    }

    /**
     * The benchmarks name no service internals: what a bench needs of a service comes from that service's small
     * {@code testsupport} package (the same production classes underneath), so a service can move its insides without
     * breaking a bench, and the bench's figures keep measuring what the service runs.
     */
    @Test
    void theBenchmarksUseAServiceOnlyThroughItsTestSupport() {
        String[] services =
                SERVICES.stream().map(s -> "ai.sovereign." + s + "..").toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("ai.sovereign.bench..")
                .should()
                .dependOnClassesThat(resideInAnyPackage(services).and(not(resideInAPackage("..testsupport.."))))
                .check(classes);
    }

    /**
     * The testsupport packages ship in the services' jars for the benchmarks; the services' own code never calls them,
     * so nothing a benchmark may reach is part of what a service does.
     */
    @Test
    void aServiceNeverCallsItsTestSupport() {
        String[] services =
                SERVICES.stream().map(s -> "ai.sovereign." + s + "..").toArray(String[]::new);
        noClasses()
                .that()
                .resideInAnyPackage(services)
                .and()
                .resideOutsideOfPackage("..testsupport..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("..testsupport..")
                .check(classes);
    }

    /**
     * The development signing keys ship in the runtime jar with their private halves: no service's code signs with
     * them (ServiceTokenSigner.development is for tests and benchmarks; a service signs with its configured key, and
     * takes a development key only through its settings in dev mode).
     */
    @Test
    void noServiceSignsWithTheDevelopmentKeys() {
        String[] services =
                SERVICES.stream().map(s -> "ai.sovereign." + s + "..").toArray(String[]::new);
        noClasses()
                .that()
                .resideInAnyPackage(services)
                .should()
                .callMethod(ServiceTokenSigner.class, "development", String.class, Clock.class)
                .check(classes);
    }

    /**
     * No service has package cycles (each was taken apart with a small port owned by the lower package, or by moving
     * a class to the package it belongs to; docs/architecture.md says which).
     */
    @ParameterizedTest
    @ValueSource(strings = {"gateway", "router", "gpuagent", "ingestion", "backup", "audit"})
    void aServiceHasNoPackageCycles(String service) {
        slices().matching("ai.sovereign." + service + ".(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }
}
