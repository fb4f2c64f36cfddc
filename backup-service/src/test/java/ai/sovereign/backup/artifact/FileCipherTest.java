package ai.sovereign.backup.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The data files' encryption: a file opens only with its key, its run id and its name, whole and unchanged. */
class FileCipherTest {

    private static final byte[] KEY = new byte[32];
    private static final FileCipher CIPHER = new FileCipher(KEY);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65_535, 65_536, 200_000, 1_000_000})
    void aFileReadsBackAsWritten(int size) throws IOException {
        byte[] plain = random(size);
        assertArrayEquals(plain, open(CIPHER, seal(plain, "run-1", "a.zst.enc"), "run-1", "a.zst.enc"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1_000, 200_000})
    void aFileOfAnotherRunOrNameOrKeyOrChangedOrCutShortIsRefused(int size) throws IOException {
        byte[] sealed = seal(random(size), "run-1", "a.zst.enc");
        assertThrows(IOException.class, () -> open(CIPHER, sealed, "run-2", "a.zst.enc"), "moved to another backup");
        assertThrows(IOException.class, () -> open(CIPHER, sealed, "run-1", "b.zst.enc"), "renamed in its backup");
        byte[] otherKey = KEY.clone();
        otherKey[0] = 1;
        assertThrows(IOException.class, () -> open(new FileCipher(otherKey), sealed, "run-1", "a.zst.enc"));
        byte[] changed = sealed.clone();
        changed[changed.length / 2] ^= 1;
        assertThrows(IOException.class, () -> open(CIPHER, changed, "run-1", "a.zst.enc"), "one bit flipped");
        byte[] cut = Arrays.copyOf(sealed, sealed.length - 1);
        assertThrows(IOException.class, () -> open(CIPHER, cut, "run-1", "a.zst.enc"), "cut short");
        if (size > 65_536) {
            byte[] firstSegment = Arrays.copyOf(sealed, 65_536);
            assertThrows(IOException.class, () -> open(CIPHER, firstSegment, "run-1", "a.zst.enc"), "whole segments");
        }
    }

    @Test
    void theKeyIdIsAFingerprintAndTheDerivedKeyDiffersFromTheKey() {
        byte[] otherKey = KEY.clone();
        otherKey[31] = 7;
        assertNotEquals(CIPHER.keyId(), new FileCipher(otherKey).keyId());
        assertTrue(CIPHER.keyId().matches("[0-9a-f]{16}"), CIPHER.keyId());
        assertNotEquals(Arrays.toString(KEY), Arrays.toString(CIPHER.derive("manifest")));
        assertNotEquals(Arrays.toString(CIPHER.derive("a")), Arrays.toString(CIPHER.derive("b")));
    }

    private static byte[] seal(byte[] plain, String run, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = CIPHER.encrypting(out, run, name)) {
            sealing.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] open(FileCipher cipher, byte[] sealed, String run, String name) throws IOException {
        try (InputStream in = cipher.decrypting(new ByteArrayInputStream(sealed), run, name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
