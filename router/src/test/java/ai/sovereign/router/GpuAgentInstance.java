package ai.sovereign.router;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * The real gpu-agent service, started inside the test JVM from its jar (system property {@code gpu-agent.jar}, set
 * by the build) in a class loader of its own. Micronaut finds beans through the class path, so the agent's class
 * loader hides the router's classes and resources: each application sees only its own beans, and both share the
 * libraries (Micronaut, Kafka client, common/runtime, common/events) of the test class path.
 */
final class GpuAgentInstance implements AutoCloseable {

    private final URLClassLoader loader;
    private final ApplicationContext context;
    private final EmbeddedServer server;

    private GpuAgentInstance(URLClassLoader loader, ApplicationContext context, EmbeddedServer server) {
        this.loader = loader;
        this.context = context;
        this.server = server;
    }

    static GpuAgentInstance start(Map<String, Object> properties) {
        String jar = System.getProperty("gpu-agent.jar");
        if (jar == null || jar.isBlank() || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("system property gpu-agent.jar must name the gpu-agent artifact (got '"
                    + jar + "'); run the tests through Maven, which sets it from the test dependency");
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(
                    "gpu-agent",
                    new URL[] {Path.of(jar).toUri().toURL()},
                    new WithoutRouter(GpuAgentInstance.class.getClassLoader()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // threads the agent's context creates inherit its class loader from here
        thread.setContextClassLoader(loader);
        ApplicationContext context = null;
        try {
            context = ApplicationContext.builder()
                    .classLoader(loader)
                    .deduceEnvironment(false)
                    .environments("test")
                    .properties(properties)
                    .banner(false)
                    .build()
                    .start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new GpuAgentInstance(loader, context, server);
        } catch (RuntimeException e) {
            if (context != null) {
                context.close();
            }
            closeQuietly(loader);
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } finally {
            context.close();
            closeQuietly(loader);
        }
    }

    private static void closeQuietly(URLClassLoader loader) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing held open that matters to the test
        }
    }

    /** The test class path less the router's own classes and resources (bean definitions, application.yml). */
    private static final class WithoutRouter extends ClassLoader {

        private final List<String> hiddenRoots = new ArrayList<>();

        WithoutRouter(ClassLoader parent) {
            super("without-router", parent);
            hiddenRoots.add(root(RouterApplication.class));
            hiddenRoots.add(root(GpuAgentInstance.class));
        }

        private static String root(Class<?> type) {
            return type.getProtectionDomain().getCodeSource().getLocation().toString();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("ai.sovereign.router.")) {
                throw new ClassNotFoundException(name + " is the router's, hidden from the agent");
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public URL getResource(String name) {
            try {
                Enumeration<URL> all = getResources(name);
                return all.hasMoreElements() ? all.nextElement() : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> visible = new ArrayList<>();
            for (URL url : Collections.list(super.getResources(name))) {
                String s = url.toString();
                if (hiddenRoots.stream().noneMatch(s::startsWith)) {
                    visible.add(url);
                }
            }
            return Collections.enumeration(visible);
        }
    }
}
