package ai.sovereign.backup.target;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.sovereign.runtime.errors.ApiException;

/** The configured targets by name; {@code filesystem} is the default. */
public final class Targets {

    public static final String DEFAULT = "filesystem";
    private final Map<String, BackupTarget> byName = new LinkedHashMap<>();

    public Targets(List<BackupTarget> targets) {
        targets.forEach(t -> byName.put(t.name(), t));
    }

    /** The target named in a request; 400 naming {@code field} when there is no such target. */
    public BackupTarget get(String name, String field) {
        BackupTarget target = byName.get(name == null ? DEFAULT : name);
        if (target == null) {
            throw ApiException.badRequest(field + " must be one of " + byName.keySet() + " (got '" + name + "')", field);
        }
        return target;
    }
}
