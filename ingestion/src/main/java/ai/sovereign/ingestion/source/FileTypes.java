package ai.sovereign.ingestion.source;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The file types the upload accepts, by extension or declared media type; the pipeline checks the content again. */
final class FileTypes {

    private static final Map<String, String> BY_EXTENSION = Map.of(
            "txt",
            "text/plain",
            "text",
            "text/plain",
            "md",
            "text/markdown",
            "markdown",
            "text/markdown",
            "html",
            "text/html",
            "htm",
            "text/html",
            "xhtml",
            "application/xhtml+xml",
            "pdf",
            "application/pdf",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private FileTypes() {}

    /** The media type to record for the file, or empty when neither its name nor its declared type is supported. */
    static Optional<String> resolve(String fileName, String declaredType) {
        int dot = fileName.lastIndexOf('.');
        if (dot >= 0) {
            String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (type != null) {
                return Optional.of(type);
            }
        }
        String declared = declaredType == null
                ? ""
                : declaredType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return BY_EXTENSION.values().stream().filter(declared::equals).findFirst();
    }

    static String supportedList() {
        return ".txt, .md, .html, .pdf, .docx";
    }
}
