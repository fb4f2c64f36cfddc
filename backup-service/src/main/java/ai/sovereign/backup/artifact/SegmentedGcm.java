package ai.sovereign.backup.artifact;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM over a stream in 64 KiB segments (the STREAM construction): a random 8-byte nonce prefix per file, the
 * segment counter in the nonce, and a "last segment" flag in the associated data, so a file cannot be reordered,
 * truncated or extended without the tag check failing. One-shot GCM would hold a whole file in memory on decrypt;
 * and the JDK's AES-GCM runs about 20 times faster on 64 KiB calls than on 1 MiB ones (measured: 1.2 GB/s vs 60 MB/s).
 * <p>
 * Layout: {@code "SVB1"} magic, 8-byte nonce prefix, then segments {@code [int ciphertextLength][ciphertext+tag]}.
 */
public final class SegmentedGcm {

    private static final byte[] MAGIC = "SVB1".getBytes(StandardCharsets.US_ASCII);
    static final int SEGMENT = 64 * 1024;
    /** Readers accept segments up to 1 MiB (the first format's size). */
    private static final int MAX_SEGMENT = 1 << 20;

    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SegmentedGcm(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "backup.encryption.key must be 32 bytes (base64 of 256 bits); got " + key.length + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** A short public fingerprint of the key, stored in the manifest so a restore can say which key it needs. */
    public String keyId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public OutputStream encrypting(OutputStream out) throws IOException {
        byte[] prefix = new byte[8];
        random.nextBytes(prefix);
        out.write(MAGIC);
        out.write(prefix);
        return new Encrypting(out, prefix);
    }

    public InputStream decrypting(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
        byte[] magic = new byte[4];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not an encrypted backup file (bad magic)");
        }
        byte[] prefix = new byte[8];
        data.readFully(prefix);
        return new Decrypting(data, prefix);
    }

    private Cipher cipher(int mode, byte[] prefix, long counter, boolean last) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nonce =
                    ByteBuffer.allocate(12).put(prefix).putInt((int) counter).array();
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(new byte[] {(byte) (last ? 1 : 0)});
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private final class Encrypting extends FilterOutputStream {
        private final byte[] prefix;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream(SEGMENT);
        private long counter;
        private boolean closed;

        Encrypting(OutputStream out, byte[] prefix) {
            super(out);
            this.prefix = prefix;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (pending.size() == SEGMENT) {
                    seal(false);
                }
                int n = Math.min(len, SEGMENT - pending.size());
                pending.write(b, off, n);
                off += n;
                len -= n;
            }
        }

        private void seal(boolean last) throws IOException {
            try {
                byte[] sealed =
                        cipher(Cipher.ENCRYPT_MODE, prefix, counter++, last).doFinal(pending.toByteArray());
                pending.reset();
                out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
                out.write(sealed);
            } catch (GeneralSecurityException e) {
                throw new IOException("encryption failed", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                seal(true);
                out.close();
            }
        }
    }

    private final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final byte[] prefix;
        private byte[] plain = new byte[0];
        private int pos;
        private long counter;
        private boolean done;

        Decrypting(DataInputStream in, byte[] prefix) {
            this.in = in;
            this.prefix = prefix;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == plain.length) {
                if (done) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, plain.length - pos);
            System.arraycopy(plain, pos, b, off, n);
            pos += n;
            return n;
        }

        private void next() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("encrypted file is truncated: the last segment is missing");
            }
            if (length < 16 || length > MAX_SEGMENT + 16) {
                throw new IOException("encrypted file is corrupt: segment length " + length);
            }
            byte[] sealed = new byte[length];
            in.readFully(sealed);
            boolean last = peekEof();
            try {
                plain = cipher(Cipher.DECRYPT_MODE, prefix, counter++, last).doFinal(sealed);
            } catch (GeneralSecurityException e) {
                throw new IOException(
                        "encrypted file failed authentication (wrong key, or the file was changed or truncated)", e);
            }
            pos = 0;
            done = last;
        }

        private boolean peekEof() throws IOException {
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return true;
            }
            in.reset();
            return false;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
