package ai.sovereign.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The all-in-one's platform secret (keys the gateway's stored API key hashes, {@code gateway.keys.secret}), generated
 * on first start into
 * {@code <data dir>/platform-secret} readable only by its owner, and reused after so restarts keep working.
 */
public final class PlatformSecret {

    private PlatformSecret() {}

    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("platform-secret");
        if (!Files.exists(file)) {
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(random), StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException e) {
                // created concurrently; the lock makes this impossible, but reading it is right either way
            }
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (secret.length() < 32) {
            throw new IOException(file + " holds a secret shorter than 32 characters; delete it to generate a new one");
        }
        return secret;
    }
}
