package ai.sovereign.backup.target.s3;

import java.net.URI;
import java.util.Optional;

/**
 * The S3-compatible target's configuration ({@code backup.s3.*}); an empty bucket means no S3 target.
 *
 * @param endpoint        {@code backup.s3.endpoint}: the service URL (MinIO, Ceph RGW, Garage, ...); empty: AWS's regional endpoint
 * @param region          {@code backup.s3.region}: signing region (S3-compatible servers usually accept {@code us-east-1})
 * @param bucket          {@code backup.s3.bucket}: must exist; the service does not create it
 * @param prefix          {@code backup.s3.prefix}: key prefix under which run folders are stored (no leading/trailing '/'); may be empty
 * @param accessKeyId     {@code backup.s3.access-key-id}; empty with an empty secret: the SDK's default credential chain
 *                        (environment, profile, container/instance role)
 * @param secretAccessKey {@code backup.s3.secret-access-key}
 * @param pathStyle       {@code backup.s3.path-style-access}: {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 *                        (needed by most S3-compatible servers)
 * @param partSize        {@code backup.s3.part-size-mb} in bytes: files larger than this are uploaded as multipart uploads of this part size
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        String bucket,
        String prefix,
        String accessKeyId,
        String secretAccessKey,
        boolean pathStyle,
        int partSize) {

    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("backup.s3.bucket must name a bucket");
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("backup.s3.bucket is not a valid bucket name (got '" + bucket + "')");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException(
                    "backup.s3.region must be set (S3-compatible servers usually accept us-east-1)");
        }
        endpoint.ifPresent(uri -> {
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("backup.s3.endpoint must be an http(s) URL (got '" + uri + "')");
            }
        });
        prefix = prefix == null ? "" : prefix.trim();
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (prefix.contains("\\")
                || prefix.contains("//")
                || ("/" + prefix + "/").contains("/../")
                || ("/" + prefix + "/").contains("/./")) {
            throw new IllegalArgumentException(
                    "backup.s3.prefix must be a plain key prefix such as 'backups/prod' (got '" + prefix + "')");
        }
        if (accessKeyId.isBlank() != secretAccessKey.isBlank()) {
            throw new IllegalArgumentException(
                    "backup.s3.access-key-id and backup.s3.secret-access-key must be set together (or both left empty "
                            + "for the SDK's default credential chain)");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("backup.s3.part-size-mb must be at least 5 (S3's minimum part size)");
        }
    }

    /** Parses the raw configuration values; every problem names its key. */
    public static S3Settings of(
            String endpoint,
            String region,
            String bucket,
            String prefix,
            String accessKeyId,
            String secretAccessKey,
            boolean pathStyle,
            int partSizeMb) {
        Optional<URI> uri;
        try {
            uri = endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "backup.s3.endpoint is not a URL (got '" + endpoint + "'): " + e.getMessage());
        }
        if (partSizeMb < 5 || partSizeMb > 5 * 1024) {
            throw new IllegalArgumentException("backup.s3.part-size-mb must be 5..5120 (got " + partSizeMb + ")");
        }
        return new S3Settings(
                uri,
                region == null ? "" : region.trim(),
                bucket == null ? "" : bucket.trim(),
                prefix,
                accessKeyId == null ? "" : accessKeyId.trim(),
                secretAccessKey == null ? "" : secretAccessKey.trim(),
                pathStyle,
                partSizeMb * 1024 * 1024);
    }
}
