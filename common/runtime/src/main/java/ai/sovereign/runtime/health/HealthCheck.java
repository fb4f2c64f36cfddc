package ai.sovereign.runtime.health;

/** One dependency's health, shown as a component of {@code GET /health}. */
public interface HealthCheck {

    /** Component name in the health report: {@code postgres}, {@code kafka}, {@code neo4j}, ... */
    String name();

    /** Checks the dependency now; must return within a few seconds and never throw. */
    HealthResult check();
}
