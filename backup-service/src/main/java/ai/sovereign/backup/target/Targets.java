package ai.sovereign.backup.target;

import ai.sovereign.runtime.errors.ApiException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configured targets by name, and the default one ({@code backup.default-target}, {@code filesystem} unless set). */
public final class Targets {

    public static final String DEFAULT = "filesystem";
    private final Map<String, BackupTarget> byName = new LinkedHashMap<>();
    private final String defaultName;

    public Targets(List<BackupTarget> targets) {
        this(targets, DEFAULT);
    }

    public Targets(List<BackupTarget> targets, String defaultName) {
        targets.forEach(t -> byName.put(t.name(), t));
        if (!byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("backup.default-target must be one of the configured targets "
                    + byName.keySet() + " (got '" + defaultName + "'; the s3 target needs backup.s3.bucket)");
        }
        this.defaultName = defaultName;
    }

    /** The target named in a request (the default one when {@code name} is null); 400 naming {@code field} when there is no such target. */
    public BackupTarget get(String name, String field) {
        BackupTarget target = byName.get(name == null ? defaultName : name);
        if (target == null) {
            throw ApiException.badRequest(
                    field + " must be one of " + byName.keySet() + " (got '" + name + "')", field);
        }
        return target;
    }
}
