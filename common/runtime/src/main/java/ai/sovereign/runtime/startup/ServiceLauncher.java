package ai.sovereign.runtime.startup;

import ai.sovereign.runtime.config.PlatformDefaults;
import ai.sovereign.runtime.security.SecuritySettings;
import ai.sovereign.runtime.security.ServiceKeys;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.Micronaut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a service: first checks that every dependency it requires is reachable (retrying for
 * {@code sovereign.startup.dependency-wait}, default 30 s), and if one is not, prints which dependency, the address
 * tried, the setting that changes it and why, and exits with {@link #EXIT_DEPENDENCY_UNAVAILABLE}; then runs the
 * Micronaut application.
 */
public final class ServiceLauncher {

    /** Exit code when a required dependency cannot be reached at start-up. */
    public static final int EXIT_DEPENDENCY_UNAVAILABLE = 3;
    /** Exit code when the configuration is unusable (e.g. no platform token secret outside dev mode). */
    public static final int EXIT_BAD_CONFIGURATION = 4;

    private ServiceLauncher() {}

    public static ApplicationContext run(String service, Class<?> mainClass, String[] args, Dependency... required) {
        return run(service, mainClass, args, environment -> null, required);
    }

    /**
     * {@link #run(String, Class, String[], Dependency...)} with a check of the service's own settings: what {@code
     * ownSettings} returns for the environment (null: nothing wrong) stops the start with exit code 4, before any
     * dependency is waited for.
     */
    public static ApplicationContext run(
            String service,
            Class<?> mainClass,
            String[] args,
            java.util.function.Function<Environment, String> ownSettings,
            Dependency... required) {
        System.setProperty("sovereign.service", service);
        Logger log = LoggerFactory.getLogger(ServiceLauncher.class);
        String configurationProblem = checkConfiguration(mainClass, args, ownSettings);
        if (configurationProblem != null) {
            log.error(configurationProblem);
            System.err.println(configurationProblem);
            System.exit(EXIT_BAD_CONFIGURATION);
        }
        List<String> failures = checkDependencies(mainClass, args, required);
        if (!failures.isEmpty()) {
            for (String failure : failures) {
                log.error(failure);
                System.err.println(failure);
            }
            System.exit(EXIT_DEPENDENCY_UNAVAILABLE);
        }
        return Micronaut.build(args).mainClass(mainClass).banner(false).start();
    }

    /** Null when the settings every service needs are usable, else what is wrong and how to fix it. */
    static String checkConfiguration(Class<?> mainClass, String[] args) {
        return checkConfiguration(mainClass, args, environment -> null);
    }

    static String checkConfiguration(
            Class<?> mainClass, String[] args, java.util.function.Function<Environment, String> ownSettings) {
        try (ApplicationContext context =
                ApplicationContext.builder().mainClass(mainClass).args(args).build()) {
            Environment environment = context.getEnvironment();
            environment.start();
            String problem = securityProblem(environment);
            if (problem == null) {
                problem = kafkaLoginProblem(environment);
            }
            if (problem == null) {
                try {
                    problem = ownSettings.apply(environment);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    problem = e.getMessage();
                }
            }
            if (problem != null) {
                return "start-up failed: " + problem + "; exiting with code " + EXIT_BAD_CONFIGURATION + ".";
            }
            return null;
        }
    }

    /** Null when the service's keys are configured and readable, else what is wrong. */
    private static String securityProblem(Environment environment) {
        Argument<List<String>> strings = Argument.listOf(String.class);
        SecuritySettings settings;
        try {
            settings = new SecuritySettings(
                    environment
                            .getProperty("sovereign.security.dev-mode", Boolean.class)
                            .orElse(false),
                    environment
                            .getProperty("sovereign.security.signing-key", String.class)
                            .orElse(null),
                    environment
                            .getProperty("sovereign.security.trusted-keys", String.class)
                            .orElse(null),
                    null,
                    environment.getProperty("sovereign.security.calls", strings).orElse(null),
                    environment
                            .getProperty("sovereign.security.protected-paths", strings)
                            .orElse(null),
                    environment
                            .getProperty("sovereign.security.token-secret", String.class)
                            .orElse(null));
            if (!settings.calls().isEmpty()) {
                ServiceKeys.signingKey(
                        settings,
                        environment
                                .getProperty("micronaut.application.name", String.class)
                                .orElse(""));
            }
            if (!settings.protectedPaths().isEmpty()) {
                ServiceKeys.trustedKeys(settings);
            }
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /**
     * Null unless the service logs in to Kafka with the platform's SCRAM line (PlatformDefaults) and its password is
     * missing or cannot be written into that line.
     */
    private static String kafkaLoginProblem(Environment environment) {
        String principal = DependencyProbe.kafkaPrincipal(environment);
        String login =
                environment.getProperty("kafka.sasl.jaas.config", String.class).orElse("");
        if (principal == null
                || !login.equals(environment
                        .getPlaceholderResolver()
                        .resolveRequiredPlaceholders(PlatformDefaults.KAFKA_LOGIN))) {
            return null;
        }
        String password = environment
                .getProperty("sovereign.kafka.password", String.class)
                .orElse("");
        if (password.isEmpty()) {
            return "no Kafka password for principal '" + principal + "': set SOVEREIGN_KAFKA_PASSWORD (property"
                    + " sovereign.kafka.password) to the principal's SCRAM-SHA-512 password (docs/security.md)";
        }
        if (password.indexOf('"') >= 0 || password.indexOf('\\') >= 0) {
            return "the Kafka password of principal '" + principal + "' (SOVEREIGN_KAFKA_PASSWORD) holds a \" or \\,"
                    + " which the client's JAAS line cannot carry: choose another";
        }
        return null;
    }

    static List<String> checkDependencies(Class<?> mainClass, String[] args, Dependency... required) {
        try (ApplicationContext context =
                ApplicationContext.builder().mainClass(mainClass).args(args).build()) {
            Environment environment = context.getEnvironment();
            environment.start();
            Duration wait = environment
                    .getProperty("sovereign.startup.dependency-wait", Duration.class)
                    .orElse(Duration.ofSeconds(30));
            Map<Dependency, DependencyProbe.Problem> problems = new EnumMap<>(Dependency.class);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                problems.clear();
                for (Dependency dependency : required) {
                    DependencyProbe.Problem problem = DependencyProbe.problem(dependency, environment);
                    if (problem != null) {
                        problems.put(dependency, problem);
                    }
                }
                boolean refused = problems.values().stream().anyMatch(DependencyProbe.Problem::refused);
                if (problems.isEmpty() || refused || System.nanoTime() > deadline) {
                    break;
                }
                sleepBeforeRetry();
            } while (true);
            if (!List.of(required).contains(Dependency.KAFKA) && DependencyProbe.kafkaPrincipal(environment) != null) {
                // not required at start (Kafka being down must not stop inference), but a broker that answers and
                // refuses the service's login will refuse it later too: say so now
                DependencyProbe.Problem kafka = DependencyProbe.problem(Dependency.KAFKA, environment);
                if (kafka != null && kafka.refused()) {
                    problems.put(Dependency.KAFKA, kafka);
                }
            }
            List<String> failures = new ArrayList<>();
            problems.forEach((dependency, problem) -> failures.add(
                    problem.refused()
                            ? refusedLogin(dependency, environment, problem.why())
                            : unreachable(dependency, environment, wait, problem.why())));
            return failures;
        }
    }

    private static String refusedLogin(Dependency dependency, Environment environment, String why) {
        return String.format(
                "start-up failed: %s at %s refused the login of principal '%s': %s. Check the principal's password"
                        + " (SOVEREIGN_KAFKA_PASSWORD, property sovereign.kafka.password) and that the broker has this"
                        + " user (docs/security.md); exiting with code %d.",
                dependency.displayName(),
                DependencyProbe.address(dependency, environment),
                java.util.Objects.requireNonNullElse(DependencyProbe.kafkaPrincipal(environment), "(none)"),
                why,
                EXIT_DEPENDENCY_UNAVAILABLE);
    }

    private static String unreachable(Dependency dependency, Environment environment, Duration wait, String why) {
        return String.format(
                "start-up failed: %s is unreachable at %s (%s): %s. Start it or point %s (property %s) at it; "
                        + "exiting with code %d.",
                dependency.displayName(),
                DependencyProbe.address(dependency, environment),
                "waited " + wait.toSeconds() + " s",
                why,
                dependency.environmentVariable(),
                dependency.property(),
                EXIT_DEPENDENCY_UNAVAILABLE);
    }

    private static void sleepBeforeRetry() {
        try {
            Thread.sleep(1_000); // a start-up retry back-off, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
