package ai.sovereign.backup.artifact;

/** One data file of a backup as stored on the target: checksum and size of the stored (compressed, encrypted) bytes. */
public record FileEntry(String name, String component, String sha256, long size) {}
