package ai.sovereign.gateway.keys;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code sovereign.bootstrap.admin-key} ({@code SOVEREIGN_BOOTSTRAP_ADMIN_KEY}): an operator-supplied {@code sk-…} key
 * stored as an admin key at start (development and automation); unset or empty: none.
 */
@ConfigurationProperties("sovereign.bootstrap")
public record BootstrapAdminKeySettings(@Nullable String adminKey) {

    public BootstrapAdminKeySettings {
        adminKey = adminKey == null || adminKey.isBlank() ? null : adminKey.trim();
    }

    @Override
    public String toString() {
        return "BootstrapAdminKeySettings[adminKey=" + (adminKey == null ? "none" : "(set)") + "]";
    }
}
