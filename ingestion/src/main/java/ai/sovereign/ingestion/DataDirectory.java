package ai.sovereign.ingestion;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ingestion.data-dir}: raw uploads ({@code raw/}) and the embedded vector index ({@code vectors/}) live here. */
@Singleton
public class DataDirectory {

    private final Path path;

    public DataDirectory(DataDirectorySettings settings) {
        this.path = Path.of(settings.dataDir()).toAbsolutePath();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("ingestion.data-dir " + path + " cannot be created", e);
        }
    }

    public Path path() {
        return path;
    }
}
