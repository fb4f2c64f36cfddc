package ai.sovereign.backup.target.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An object written as a stream: bytes are buffered up to one part; a file that fits in one part is one {@code PutObject} at
 * close, a larger one a multipart upload (one {@code UploadPart} per full buffer, completed at close). Any failure aborts the
 * multipart upload, so no partial object is ever visible under the key.
 */
final class S3UploadStream extends OutputStream {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final byte[] buffer;
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean closed;

    S3UploadStream(S3Client s3, String bucket, String key, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (filled == buffer.length) {
            flushPart();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            if (filled == buffer.length) {
                flushPart();
            }
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("upload of " + key + " is closed");
        }
    }

    private void flushPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId =
                        s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(
                            b -> b.bucket(bucket)
                                    .key(key)
                                    .uploadId(uploadId)
                                    .partNumber(number)
                                    .contentLength((long) filled),
                            RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        } catch (SdkException e) {
            abort();
            throw new IOException(
                    "uploading part " + (parts.size() + 1) + " of s3://" + bucket + "/" + key + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (uploadId == null) {
                s3.putObject(
                        b -> b.bucket(bucket).key(key).contentLength((long) filled),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, filled)));
            } else {
                if (filled > 0) {
                    flushPart();
                }
                s3.completeMultipartUpload(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            }
        } catch (SdkException e) {
            abort();
            throw new IOException("uploading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } finally {
            closed = true;
        }
    }

    private void abort() {
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException ignored) {
                // best effort: a bucket lifecycle rule for incomplete multipart uploads cleans up what is left
            }
            uploadId = null;
        }
    }
}
