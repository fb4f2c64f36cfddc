package ai.sovereign.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A service running inside the launcher's JVM in a class loader of its own. Micronaut finds beans through the
 * class path, so services sharing one class loader would each load every other service's controllers; here each
 * sees only its own classes plus the shared libraries of the launcher (parent class loader).
 */
public final class IsolatedService implements AutoCloseable {

    private final String name;
    private final String label;
    private final URLClassLoader classLoader;
    private final ApplicationContext context;
    private final EmbeddedServer server;

    private IsolatedService(
            String name, String label, URLClassLoader classLoader, ApplicationContext context, EmbeddedServer server) {
        this.name = name;
        this.label = label;
        this.classLoader = classLoader;
        this.context = context;
        this.server = server;
    }

    /**
     * Unpacks the service's jar into {@code workDir} and starts it with {@code properties} on top of its own;
     * {@code label} tells instances of one service apart (the GPU hosts' agents).
     */
    public static IsolatedService start(ServiceSpec spec, String label, Path workDir, Map<String, Object> properties) {
        Path jar = unpack(spec, workDir);
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(
                    "service-" + spec.name(), new URL[] {jar.toUri().toURL()}, IsolatedService.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // threads the context creates (event loops, executors) inherit the service's class loader from here
        thread.setContextClassLoader(loader);
        ApplicationContext context = null;
        try {
            context = ApplicationContext.builder()
                    .classLoader(loader)
                    .deduceEnvironment(false)
                    .environments("local")
                    .properties(properties)
                    .banner(false)
                    .build()
                    .start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new IsolatedService(spec.name(), label, loader, context, server);
        } catch (RuntimeException e) {
            if (context != null) {
                context.close();
            }
            closeQuietly(loader);
            throw new IllegalStateException(spec.name() + " failed to start: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Path unpack(ServiceSpec spec, Path workDir) {
        try (InputStream in = IsolatedService.class.getClassLoader().getResourceAsStream(spec.jarResource())) {
            if (in == null) {
                throw new IllegalStateException(
                        spec.jarResource() + " is missing from the launcher; rebuild it with ./mvnw package");
            }
            Files.createDirectories(workDir);
            Path jar = workDir.resolve(spec.name() + ".jar");
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + spec.jarResource() + " into " + workDir, e);
        }
    }

    public String name() {
        return name;
    }

    /** The service name, or name and instance for services that run more than once. */
    public String label() {
        return label;
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            context.close();
            closeQuietly(classLoader);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // the jar stays on disk and is replaced at the next start
        }
    }
}
