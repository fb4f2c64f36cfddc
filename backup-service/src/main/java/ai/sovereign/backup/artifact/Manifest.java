package ai.sovereign.backup.artifact;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a run: written last, in clear (signed, see {@link ManifestFile}), so that checksums can be
 * verified without the encryption key.
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

    /** 2: data files encrypted with the run id and file name bound, manifest signed ({@link ManifestFile}). */
    public static final int FORMAT = 2;

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
