package ai.sovereign.backup.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where backup artifacts live: a folder per run (the run's "location", a relative path such as
 * {@code nightly/b-20260101T030000Z-1a2b}) holding {@code manifest.json} and the data files. Adapters:
 * {@code filesystem} (default) and {@code s3}. Locations and file names are validated by {@link SafeNames} before
 * any adapter sees them; adapters check again that nothing resolves outside their root.
 */
public interface BackupTarget {

    /** {@code filesystem}, {@code s3}. */
    String name();

    OutputStream create(String location, String file) throws IOException;

    InputStream open(String location, String file) throws IOException;

    /** The size of a stored file, or -1 if it does not exist. */
    long size(String location, String file) throws IOException;

    List<String> list(String location) throws IOException;

    /** Removes the run's folder and everything in it; absent is not an error. */
    void delete(String location) throws IOException;

    /** Throws {@link PathEscapeException} if {@code location} would resolve outside the root (checked before a run starts). */
    void check(String location) throws IOException;

    /** Where this target stores things, for logs and the health report. */
    String describe();
}
