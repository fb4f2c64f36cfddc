package ai.sovereign.backup.artifact;

/** A stored file of a backup that cannot be trusted or read, named. */
public final class ArtifactException extends Exception {

    private final String file;
    private final String problem;

    public ArtifactException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** What is wrong with the file, without its name. */
    public String problem() {
        return problem;
    }

    public String file() {
        return file;
    }
}
