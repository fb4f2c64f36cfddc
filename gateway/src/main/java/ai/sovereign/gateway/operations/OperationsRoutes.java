package ai.sovereign.gateway.operations;

import ai.sovereign.gateway.upstream.UpstreamSettings;
import ai.sovereign.runtime.security.Role;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which service answers an operations path and which roles may call it: {@code /api/orchestrator/**} → router
 * (admin); {@code /api/v1/sources/**}, {@code /api/v1/search}, {@code /api/v1/chat} → ingestion (user, admin);
 * {@code /api/v1/audit/**} → audit-service (auditor, admin); {@code /api/v1/backups/**} → backup-service (admin).
 * Paths are forwarded unchanged. The ingestion routes answer with models on the key's behalf, so the key's limits
 * (RPM, TPM, monthly budget, concurrency) apply to them as to {@code /v1/*}, and {@code /api/v1/chat} checks the
 * key's allowed models.
 */
@Singleton
public class OperationsRoutes {

    /**
     * One route: the path prefix (also the metrics label), the service, its base URL, the roles it admits, and whether
     * the key's limits apply ({@code keyLimits}).
     */
    public record Route(String prefix, boolean subtree, String service, URI base, Set<Role> roles, boolean keyLimits) {

        boolean matches(String path) {
            return path.equals(prefix) || (subtree && path.startsWith(prefix + "/"));
        }
    }

    private final List<Route> routes;

    public OperationsRoutes(UpstreamSettings settings) {
        this.routes = List.of(
                new Route(
                        "/api/orchestrator",
                        true,
                        "router",
                        URI.create(settings.primaryRouter()),
                        Set.of(Role.ADMIN),
                        false),
                new Route(
                        "/api/v1/sources",
                        true,
                        "ingestion",
                        URI.create(settings.ingestion()),
                        Set.of(Role.USER, Role.ADMIN),
                        true),
                new Route(
                        "/api/v1/search",
                        false,
                        "ingestion",
                        URI.create(settings.ingestion()),
                        Set.of(Role.USER, Role.ADMIN),
                        true),
                new Route(
                        "/api/v1/chat",
                        false,
                        "ingestion",
                        URI.create(settings.ingestion()),
                        Set.of(Role.USER, Role.ADMIN),
                        true),
                new Route(
                        "/api/v1/audit",
                        true,
                        "audit-service",
                        URI.create(settings.audit()),
                        Set.of(Role.AUDITOR, Role.ADMIN),
                        false),
                new Route(
                        "/api/v1/backups",
                        true,
                        "backup-service",
                        URI.create(settings.backup()),
                        Set.of(Role.ADMIN),
                        false));
    }

    public Optional<Route> route(String path) {
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./")) {
            return Optional.empty();
        }
        return routes.stream().filter(r -> r.matches(path)).findFirst();
    }
}
