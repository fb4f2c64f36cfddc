package ai.sovereign.router.config;

import ai.sovereign.runtime.errors.ApiException;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing configuration in force and its history. Every change is validated first, then stored as a new version
 * (author, time, what changed), then applied live to every subscriber; a change that fails validation leaves both
 * the store and the running router untouched.
 */
@Singleton
public class VersionedRoutingConfig {

    private static final Logger LOG = LoggerFactory.getLogger(VersionedRoutingConfig.class);
    private static final int WRITE_ATTEMPTS = 3;

    private final ConfigVersionStore store;
    private final List<Consumer<RoutingConfig>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<ConfigVersion>> storedListeners = new CopyOnWriteArrayList<>();
    private volatile ConfigVersion current;

    public VersionedRoutingConfig(
            ConfigVersionStore store,
            ConfigDocumentCodec codec,
            ConfigFiles files,
            RouterSettings settings,
            StaticServers staticServers) {
        this.store = store;
        this.current = store.latest().orElseGet(() -> bootstrap(store, codec, files, settings, staticServers));
        List<ServerSpec> missing = staticServers.servers().stream()
                .filter(spec -> current.config().server(spec.id()).isEmpty())
                .toList();
        // router.servers say where a server is: a stored entry with the same id but another URL or type (the host
        // moved, the launcher picked new ports) follows the configuration; its maxConcurrency stays the operator's
        List<ServerSpec> moved = staticServers.servers().stream()
                .filter(spec -> current.config()
                        .server(spec.id())
                        .filter(stored -> !stored.url().equals(spec.url()) || stored.type() != spec.type())
                        .isPresent())
                .toList();
        if (!missing.isEmpty() || !moved.isEmpty()) {
            // router.servers (application.yml, launcher) are always part of the fleet; operators may resize them later.
            String description = (missing.isEmpty()
                            ? ""
                            : "servers from router.servers: "
                                    + missing.stream().map(ServerSpec::id).toList())
                    + (moved.isEmpty()
                            ? ""
                            : (missing.isEmpty() ? "" : "; ") + "addresses from router.servers: "
                                    + moved.stream().map(ServerSpec::id).toList());
            change(
                    "system",
                    description,
                    config -> config.withServers(servers -> {
                        List<ServerSpec> all = new java.util.ArrayList<>();
                        for (ServerSpec stored : servers) {
                            all.add(moved.stream()
                                    .filter(m -> m.id().equals(stored.id()))
                                    .findFirst()
                                    .map(m -> new ServerSpec(stored.id(), m.url(), m.type(), stored.maxConcurrency()))
                                    .orElse(stored));
                        }
                        all.addAll(missing);
                        return all;
                    }));
        }
        LOG.info(
                "routing config version {} in force: {} server(s)",
                current.version(),
                current.config().servers().size());
    }

    private static ConfigVersion bootstrap(
            ConfigVersionStore store,
            ConfigDocumentCodec codec,
            ConfigFiles files,
            RouterSettings settings,
            StaticServers staticServers) {
        RoutingConfig initial = RoutingConfig.defaults();
        String change = "initial defaults";
        if (!settings.bootstrapFile().isBlank()) {
            Path path = Path.of(settings.bootstrapFile()).toAbsolutePath();
            try {
                initial = codec.read(files.read(path, "router.bootstrap-file"), RoutingConfig.defaults());
            } catch (InvalidConfigException e) {
                throw new IllegalStateException("router.bootstrap-file " + path + " is invalid: " + e.getMessage(), e);
            }
            change = "bootstrap from " + path;
        }
        RoutingConfig base = initial;
        List<ServerSpec> extra = staticServers.servers().stream()
                .filter(spec -> base.server(spec.id()).isEmpty())
                .toList();
        if (!extra.isEmpty()) {
            List<ServerSpec> all = new java.util.ArrayList<>(initial.servers());
            all.addAll(extra);
            initial = initial.withServers(all);
            change += " + router.servers " + extra.stream().map(ServerSpec::id).toList();
        }
        RoutingConfig seed = initial;
        String description = change;
        return store.append(0, seed, "system", description)
                .or(store::latest) // another replica seeded it first
                .orElseThrow(() -> new IllegalStateException("could not store routing config version 1"));
    }

    public ConfigVersion current() {
        return current;
    }

    public RoutingConfig config() {
        return current.config();
    }

    /** Calls {@code subscriber} with every configuration that comes into force from now on. */
    public void subscribe(Consumer<RoutingConfig> subscriber) {
        subscribers.add(subscriber);
    }

    /**
     * Applies {@code edit} to the configuration in force and stores the result as a new version.
     *
     * @throws InvalidConfigException when the edit is refused; nothing changes
     */
    public synchronized ConfigVersion change(String author, String description, UnaryOperator<RoutingConfig> edit) {
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            ConfigVersion base = current;
            RoutingConfig next = edit.apply(base.config());
            Optional<ConfigVersion> stored = store.append(base.version(), next, author, description);
            if (stored.isPresent()) {
                install(stored.get());
                for (Consumer<ConfigVersion> listener : storedListeners) {
                    listener.accept(stored.get());
                }
                LOG.info("routing config version {} by {}: {}", stored.get().version(), author, description);
                return stored.get();
            }
            // Another router replica stored a version first: take it in and apply the edit on top of it.
            store.latest().ifPresent(this::install);
        }
        throw new IllegalStateException("routing config kept changing under this write; try again");
    }

    /** Stores a copy of {@code version}'s content as a new version. */
    public ConfigVersion rollback(int version, String author) {
        ConfigVersion target = store.find(version)
                .orElseThrow(() -> ApiException.notFound(
                        "config version " + version + " does not exist; the latest is " + current.version()));
        return change(author, "rollback to version " + version, config -> target.config());
    }

    /** Called with each version this replica stores (not with versions taken in from other replicas). */
    public void onStored(Consumer<ConfigVersion> listener) {
        storedListeners.add(listener);
    }

    /**
     * Takes in the newest stored version when it is newer than the one in force (another replica stored it); returns
     * whether it did.
     */
    public synchronized boolean refresh() {
        Optional<ConfigVersion> latest = store.latest();
        if (latest.isPresent() && latest.get().version() > current.version()) {
            install(latest.get());
            LOG.info(
                    "routing config version {} taken in from another replica ({} by {})",
                    latest.get().version(),
                    latest.get().change(),
                    latest.get().author());
            return true;
        }
        return false;
    }

    public Optional<ConfigVersion> version(int version) {
        return store.find(version);
    }

    public List<ConfigVersion> history(int limit) {
        return store.history(limit);
    }

    private void install(ConfigVersion version) {
        current = version;
        for (Consumer<RoutingConfig> subscriber : subscribers) {
            try {
                subscriber.accept(version.config());
            } catch (RuntimeException e) {
                LOG.error("applying routing config version {} failed in {}", version.version(), subscriber, e);
            }
        }
    }
}
