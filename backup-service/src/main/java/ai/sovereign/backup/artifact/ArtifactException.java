package ai.sovereign.backup.artifact;

/** A stored file of a backup that cannot be trusted or read, named. */
public final class ArtifactException extends Exception {

    private final String file;

    public ArtifactException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public String file() {
        return file;
    }
}
