package ai.sovereign.backup.artifact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segmented AES-GCM stream: round trips at segment boundaries (MIB here is one segment); truncation, a dropped segment, a changed byte or another key are detected. */
class SegmentedGcmTest {

    private static final byte[] KEY = new byte[32];
    private static final int MIB = SegmentedGcm.SEGMENT;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, MIB - 1, MIB, MIB + 1, 3 * MIB + 17})
    void roundTripsAnySize(int size) throws IOException {
        byte[] plain = random(size);
        byte[] sealed = seal(new SegmentedGcm(KEY), plain);
        assertArrayEquals(plain, open(new SegmentedGcm(KEY), sealed));
    }

    @ParameterizedTest
    @ValueSource(ints = {MIB + 1, 2 * MIB + 5})
    void truncationAtASegmentBoundaryIsDetected(int size) throws IOException {
        byte[] sealed = seal(new SegmentedGcm(KEY), random(size));
        byte[] firstSegmentOnly = Arrays.copyOf(sealed, 4 + 8 + 4 + MIB + 16);
        assertThrows(IOException.class, () -> open(new SegmentedGcm(KEY), firstSegmentOnly));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 2 * MIB})
    void aChangedByteOrAnotherKeyIsDetected(int size) throws IOException {
        byte[] sealed = seal(new SegmentedGcm(KEY), random(size));
        byte[] changed = sealed.clone();
        changed[changed.length / 2] ^= 1;
        assertThrows(IOException.class, () -> open(new SegmentedGcm(KEY), changed));
        byte[] otherKey = KEY.clone();
        otherKey[0] = 1;
        assertThrows(IOException.class, () -> open(new SegmentedGcm(otherKey), sealed));
        assertNotEquals(new SegmentedGcm(KEY).keyId(), new SegmentedGcm(otherKey).keyId());
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] seal(SegmentedGcm gcm, byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = gcm.encrypting(out)) {
            enc.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] open(SegmentedGcm gcm, byte[] sealed) throws IOException {
        try (InputStream in = gcm.decrypting(new ByteArrayInputStream(sealed))) {
            return in.readAllBytes();
        }
    }
}
