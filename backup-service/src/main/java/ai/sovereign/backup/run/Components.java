package ai.sovereign.backup.run;

import ai.sovereign.runtime.errors.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The components this instance can back up, in backup order. */
public final class Components {

    private final Map<String, BackupComponent> byName = new LinkedHashMap<>();

    public Components(List<BackupComponent> components) {
        components.forEach(c -> byName.put(c.name(), c));
    }

    public BackupComponent get(String name) {
        return byName.get(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Validates a requested list (null or empty: all), deduplicated, in backup order; 400 naming {@code field}. */
    public List<String> select(List<String> requested, String field) {
        if (requested == null || requested.isEmpty()) {
            return List.copyOf(byName.keySet());
        }
        for (String name : requested) {
            if (!byName.containsKey(name)) {
                throw ApiException.badRequest(
                        field + " must list components out of " + byName.keySet() + " (got '" + name + "')", field);
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String name : byName.keySet()) {
            if (requested.contains(name)) {
                ordered.add(name);
            }
        }
        return ordered;
    }
}
