package ai.sovereign.runtime.startup;

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
        System.setProperty("sovereign.service", service);
        Logger log = LoggerFactory.getLogger(ServiceLauncher.class);
        String configurationProblem = checkConfiguration(mainClass, args);
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
        try (ApplicationContext context =
                ApplicationContext.builder().mainClass(mainClass).args(args).build()) {
            Environment environment = context.getEnvironment();
            environment.start();
            String problem = securityProblem(environment);
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

    static List<String> checkDependencies(Class<?> mainClass, String[] args, Dependency... required) {
        if (required.length == 0) {
            return List.of();
        }
        try (ApplicationContext context =
                ApplicationContext.builder().mainClass(mainClass).args(args).build()) {
            Environment environment = context.getEnvironment();
            environment.start();
            Duration wait = environment
                    .getProperty("sovereign.startup.dependency-wait", Duration.class)
                    .orElse(Duration.ofSeconds(30));
            Map<Dependency, String> problems = new EnumMap<>(Dependency.class);
            long deadline = System.nanoTime() + wait.toNanos();
            do {
                problems.clear();
                for (Dependency dependency : required) {
                    String problem = DependencyProbe.problem(dependency, environment);
                    if (problem != null) {
                        problems.put(dependency, problem);
                    }
                }
                if (problems.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                sleepBeforeRetry();
            } while (true);
            List<String> failures = new ArrayList<>();
            problems.forEach((dependency, problem) -> failures.add(String.format(
                    "start-up failed: %s is unreachable at %s (%s): %s. Start it or point %s (property %s) at it; "
                            + "exiting with code %d.",
                    dependency.displayName(),
                    DependencyProbe.address(dependency, environment),
                    "waited " + wait.toSeconds() + " s",
                    problem,
                    dependency.environmentVariable(),
                    dependency.property(),
                    EXIT_DEPENDENCY_UNAVAILABLE)));
            return failures;
        }
    }

    private static void sleepBeforeRetry() {
        try {
            Thread.sleep(1_000); // a start-up retry back-off, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
