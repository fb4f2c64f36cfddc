package ai.sovereign.backup.target.s3;

import ai.sovereign.backup.target.BackupTarget;
import ai.sovereign.backup.target.PathEscapeException;
import ai.sovereign.backup.target.SafeNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups as objects in an S3-compatible bucket (AWS SDK v2): the file {@code f} of the run folder {@code nightly/b-...} is the
 * object {@code <prefix>/nightly/b-.../f}. Uploads stream: a file is sent as one {@code PutObject} when it fits in one part,
 * otherwise as a multipart upload (aborted if writing fails), so a file is either complete or absent. Locations and file names
 * are checked with the same rules as the filesystem target's, so a key never leaves the prefix.
 */
public final class S3Target implements BackupTarget {

    private final S3Client s3;
    private final S3Settings settings;

    public S3Target(S3Settings settings) {
        this.settings = settings;
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // S3-compatible servers differ in their support of the SDK's default flexible checksums (aws-chunked
                // trailers);
                // integrity is ours anyway: every file's SHA-256 is in the manifest and checked by verify and restore.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofMinutes(2)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId().isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public OutputStream create(String location, String file) throws IOException {
        return new S3UploadStream(s3, settings.bucket(), key(location, file), settings.partSize());
    }

    @Override
    public InputStream open(String location, String file) throws IOException {
        String key = key(location, file);
        try {
            return s3.getObject(b -> b.bucket(settings.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(file, null, "no object " + key + " in bucket " + settings.bucket());
        } catch (SdkException e) {
            throw new IOException("reading s3://" + settings.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long size(String location, String file) throws IOException {
        String key = key(location, file);
        try {
            HeadObjectResponse head =
                    s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return head.contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return -1;
            }
            throw new IOException("HEAD s3://" + settings.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("HEAD s3://" + settings.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String location) throws IOException {
        String folder = folderKey(location) + "/";
        List<String> names = new ArrayList<>();
        try {
            for (var page : s3.listObjectsV2Paginator(
                    b -> b.bucket(settings.bucket()).prefix(folder).delimiter("/"))) {
                for (S3Object object : page.contents()) {
                    names.add(object.key().substring(folder.length()));
                }
            }
        } catch (SdkException e) {
            throw new IOException("listing s3://" + settings.bucket() + "/" + folder + " failed: " + e.getMessage(), e);
        }
        return names.stream().sorted().toList();
    }

    @Override
    public void delete(String location) throws IOException {
        String folder = folderKey(location) + "/";
        try {
            List<ObjectIdentifier> batch = new ArrayList<>();
            for (var page :
                    s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(folder))) {
                for (S3Object object : page.contents()) {
                    batch.add(ObjectIdentifier.builder().key(object.key()).build());
                    if (batch.size() == 1000) {
                        deleteBatch(batch);
                    }
                }
            }
            if (!batch.isEmpty()) {
                deleteBatch(batch);
            }
        } catch (SdkException e) {
            throw new IOException(
                    "deleting s3://" + settings.bucket() + "/" + folder + " failed: " + e.getMessage(), e);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> batch) throws IOException {
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(settings.bucket())
                .delete(Delete.builder().objects(List.copyOf(batch)).quiet(true).build()));
        batch.clear();
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().getFirst();
            throw new IOException(response.errors().size() + " object(s) not deleted, e.g. " + first.key() + ": "
                    + first.code() + " " + first.message());
        }
    }

    @Override
    public void check(String location) throws IOException {
        folderKey(location);
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.prefix()
                + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    /** The object key of a run folder; the same rules as the filesystem target (relative, no '.', '..', empty or odd segments). */
    private String folderKey(String location) throws PathEscapeException {
        if (location == null || location.isEmpty() || location.startsWith("/") || location.contains("\\")) {
            throw new PathEscapeException(
                    "location '" + location + "' must be a relative folder under the backup root");
        }
        for (String segment : location.split("/", -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                throw new PathEscapeException("location '" + location + "' has an empty, '.' or '..' segment");
            }
            try {
                SafeNames.file(segment);
            } catch (IllegalArgumentException e) {
                throw new PathEscapeException("location '" + location + "': " + e.getMessage());
            }
        }
        return settings.prefix().isEmpty() ? location : settings.prefix() + "/" + location;
    }

    private String key(String location, String file) throws PathEscapeException {
        try {
            return folderKey(location) + "/" + SafeNames.file(file);
        } catch (IllegalArgumentException e) {
            throw new PathEscapeException(e.getMessage());
        }
    }

    /**
     * Checks that the bucket exists and answers to the configured credentials ({@code HeadBucket}, one attempt of at most
     * {@code timeout}); used by {@link S3HealthCheck}.
     */
    public void ping(Duration timeout) throws IOException {
        try {
            s3.headBucket(b -> b.bucket(settings.bucket())
                    .overrideConfiguration(o -> o.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)));
        } catch (SdkException e) {
            throw new IOException("bucket " + settings.bucket() + " is not reachable: " + e.getMessage(), e);
        }
    }

    public void close() {
        s3.close();
    }
}
