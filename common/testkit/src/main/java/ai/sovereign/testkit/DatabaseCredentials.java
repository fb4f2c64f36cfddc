package ai.sovereign.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The passwords of a platform's database logins: the superuser ({@link DatabaseRoles#SUPERUSER}) and every login of
 * {@link DatabaseRoles#logins()}. The all-in-one keeps them in its data directory; each service is given only its own
 * (the audit-service also its migration login's).
 */
public final class DatabaseCredentials {

    private final Map<String, String> passwords;

    private DatabaseCredentials(Map<String, String> passwords) {
        for (Map.Entry<String, String> entry : passwords.entrySet()) {
            if (!entry.getValue().matches("[A-Za-z0-9_\\-.~+/=]{12,200}")) {
                throw new IllegalArgumentException("the database password of '" + entry.getKey()
                        + "' must be 12 to 200 letters, digits or any of _-.~+/=");
            }
        }
        this.passwords = Map.copyOf(passwords);
    }

    /** New random passwords for every login. */
    public static DatabaseCredentials generate() {
        return of(Map.of());
    }

    /** {@code known} passwords by login, and new random ones for the logins it lacks. */
    public static DatabaseCredentials of(Map<String, String> known) {
        return new DatabaseCredentials(GeneratedPasswords.complete(logins(), known));
    }

    /** The superuser and every service login, superuser first. */
    public static List<String> logins() {
        List<String> logins = new ArrayList<>();
        logins.add(DatabaseRoles.SUPERUSER);
        logins.addAll(DatabaseRoles.logins());
        return logins;
    }

    /** Every login's password, superuser first. */
    public Map<String, String> all() {
        Map<String, String> ordered = new LinkedHashMap<>();
        logins().forEach(login -> ordered.put(login, passwords.get(login)));
        return ordered;
    }

    /** The password of {@code login}. */
    public String password(String login) {
        String password = passwords.get(login);
        if (password == null) {
            throw new IllegalArgumentException("no database login named '" + login + "'");
        }
        return password;
    }

    /**
     * Micronaut properties that connect {@code service} to the database at {@code jdbcUrl} as its own login, and for
     * a service whose migrations run as the schema owner, the owner's login for them ({@code postgres.owner.*}).
     */
    public Map<String, String> serviceProperties(DatabaseRoles.Service service, String jdbcUrl) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("datasources.default.url", jdbcUrl);
        props.put("datasources.default.username", service.login());
        props.put("datasources.default.password", password(service.login()));
        if (service.migrationLogin() != null) {
            props.put("postgres.owner.username", service.migrationLogin());
            props.put("postgres.owner.password", password(service.migrationLogin()));
        }
        return props;
    }
}
