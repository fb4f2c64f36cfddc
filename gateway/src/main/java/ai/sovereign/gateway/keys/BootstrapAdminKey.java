package ai.sovereign.gateway.keys;

import ai.sovereign.runtime.files.OwnerOnlyFiles;
import ai.sovereign.runtime.security.Role;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a fresh install can be administered. With {@code SOVEREIGN_BOOTSTRAP_ADMIN_KEY} set (development and
 * automation), that key is stored as an admin key unless it exists already. Otherwise, when no usable admin key
 * exists, one is generated and written to {@code gateway.bootstrap.key-file} with owner-only permissions; only its
 * id and the file's path are printed. Of several replicas starting on an empty key table, one generates it.
 */
@Singleton
public class BootstrapAdminKey implements ApplicationEventListener<StartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdminKey.class);
    static final String NAME = "bootstrap-admin";
    static final String TENANT = "default";

    private final KeyService keys;
    private final BootstrapSettings settings;
    private final BootstrapAdminKeySettings supplied;

    public BootstrapAdminKey(KeyService keys, BootstrapSettings settings, BootstrapAdminKeySettings supplied) {
        this.keys = keys;
        this.settings = settings;
        this.supplied = supplied;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        KeySpec spec = new KeySpec(NAME, TENANT, Role.ADMIN, List.of("*"), null, null, null, null, null, null);
        String adminKey = supplied.adminKey();
        if (adminKey != null) {
            if (!adminKey.startsWith(KeyHasher.KEY_PREFIX) || adminKey.length() < 24) {
                throw new IllegalStateException(
                        "SOVEREIGN_BOOTSTRAP_ADMIN_KEY (sovereign.bootstrap.admin-key) must start "
                                + "with sk- and be at least 24 characters long (got " + adminKey.length()
                                + " characters)");
            }
            Optional<ApiKey> stored = keys.importKey(spec, adminKey, "bootstrap");
            stored.ifPresentOrElse(
                    key -> LOG.info(
                            "bootstrap admin key from SOVEREIGN_BOOTSTRAP_ADMIN_KEY stored as key {}", key.id()),
                    () -> LOG.info("bootstrap admin key from SOVEREIGN_BOOTSTRAP_ADMIN_KEY is already stored"));
            return;
        }
        if (keys.hasUsableAdmin()) {
            return;
        }
        Optional<KeyService.IssuedKey> generated = keys.createFirstAdmin(spec, "bootstrap");
        if (generated.isEmpty()) {
            LOG.info("another gateway replica stored the first admin key; this one generates none");
            return;
        }
        KeyService.IssuedKey issued = generated.get();
        Path file = settings.keyFile().toAbsolutePath();
        writeOwnerOnly(file, issued.secret() + "\n");
        // the key itself goes to the file only: standard output and logs end up in log collectors
        System.out.println("""

                ================================================================
                 Sovereign gateway: no admin API key existed, so one was made.
                 Key id: %s
                 The key is in %s (owner-only).
                 Create your own admin key with it, then revoke this one.
                ================================================================
                """.formatted(issued.key().id(), file));
        LOG.warn(
                "generated bootstrap admin key {} (written to {}); create a personal admin key and revoke it",
                issued.key().id(),
                file);
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            OwnerOnlyFiles.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not write the bootstrap admin key to " + file
                            + "; set gateway.bootstrap.key-file to a writable path",
                    e);
        }
    }
}
