package ai.sovereign.gpuagent.command;

/**
 * Where a pull stands, summed over its layers.
 *
 * @param status         the server's last status line, e.g. {@code pulling 8eeb52dfb3bb}
 * @param completedBytes bytes downloaded so far; null before the first layer
 * @param totalBytes     bytes of all layers announced so far; null before the first layer
 */
public record PullProgress(String status, Long completedBytes, Long totalBytes) {

    /** 0..1, or null while no layer size is known. */
    public Double ratio() {
        if (completedBytes == null || totalBytes == null || totalBytes <= 0) {
            return null;
        }
        return Math.min(1.0, completedBytes / (double) totalBytes);
    }
}
