package ai.sovereign.backup.target.filesystem;

import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.backup.target.PathEscapeException;
import ai.sovereign.backup.target.SafeNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backups as folders under a root directory. Every path is resolved against the real root and refused if it ends
 * up outside it, including through a symbolic link anywhere on the way.
 */
public final class FilesystemTarget implements BackupTarget {

    private final Path root;

    public FilesystemTarget(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public OutputStream create(String location, String file) throws IOException {
        Path folder = folder(location, true);
        Path path = folder.resolve(SafeNames.file(file));
        refuseLink(path);
        return Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public InputStream open(String location, String file) throws IOException {
        Path path = folder(location, false).resolve(SafeNames.file(file));
        refuseLink(path);
        return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(String location, String file) throws IOException {
        Path path = folder(location, false).resolve(SafeNames.file(file));
        refuseLink(path);
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? Files.size(path) : -1;
    }

    @Override
    public List<String> list(String location) throws IOException {
        Path folder = folder(location, false);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    public void delete(String location) throws IOException {
        Path folder = folder(location, false);
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void check(String location) throws IOException {
        folder(location, false);
    }

    @Override
    public String describe() {
        return "filesystem:" + root;
    }

    /** Resolves a run folder; each existing segment must be a real directory inside the root, not a link. */
    private Path folder(String location, boolean create) throws IOException {
        if (location.isEmpty() || location.startsWith("/") || location.contains("\\")) {
            throw new PathEscapeException(
                    "location '" + location + "' must be a relative folder under the backup root");
        }
        Path current = root;
        for (String segment : location.split("/", -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                throw new PathEscapeException("location '" + location + "' has an empty, '.' or '..' segment");
            }
            current = current.resolve(SafeNames.file(segment));
            if (Files.isSymbolicLink(current)) {
                throw new PathEscapeException("location '" + location + "' passes through a symbolic link ("
                        + root.relativize(current) + ")");
            }
            if (create && !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(current);
                } catch (java.nio.file.FileAlreadyExistsException ignored) {
                    // created concurrently
                }
            }
        }
        Path normalized = current.normalize();
        if (!normalized.startsWith(root)
                || (Files.exists(normalized) && !normalized.toRealPath().startsWith(root))) {
            throw new PathEscapeException("location '" + location + "' resolves outside the backup root");
        }
        return normalized;
    }

    private static void refuseLink(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new PathEscapeException("refusing symbolic link " + path.getFileName());
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.getFileName() + " is not a regular file");
        }
    }
}
