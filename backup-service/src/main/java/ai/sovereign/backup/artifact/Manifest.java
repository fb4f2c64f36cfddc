package ai.sovereign.backup.artifact;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a run: written last, in clear, so that checksums can be verified without the key.
 *
 * @param encryption {@code null} when the data files are not encrypted; otherwise algorithm and key id
 */
public record Manifest(
        int formatVersion,
        String runId,
        String toolVersion,
        String startedAt,
        String finishedAt,
        String compression,
        Map<String, String> encryption,
        List<String> componentNames,
        Map<String, ComponentManifest> components,
        List<FileEntry> files) {

    public static final int FORMAT = 1;
    public static final String FILE_NAME = "manifest.json";

    public long totalSize() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    public long componentSize(String component) {
        return files.stream()
                .filter(f -> f.component().equals(component))
                .mapToLong(FileEntry::size)
                .sum();
    }
}
