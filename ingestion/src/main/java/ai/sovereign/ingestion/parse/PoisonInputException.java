package ai.sovereign.ingestion.parse;

/** The input itself is unusable (corrupt, encrypted, empty, binary, too large once unpacked): the source fails, nothing retries. */
public class PoisonInputException extends RuntimeException {

    private final String reasonCode;

    public PoisonInputException(String reasonCode, String message) {
        super(message);
        this.reasonCode = reasonCode;
    }

    public PoisonInputException(String reasonCode, String message, Throwable cause) {
        super(message, cause);
        this.reasonCode = reasonCode;
    }

    /** Short label for the {@code ingestion_failures_total{reason}} counter: empty, encrypted, corrupt, unsupported, ... */
    public String reasonCode() {
        return reasonCode;
    }
}
