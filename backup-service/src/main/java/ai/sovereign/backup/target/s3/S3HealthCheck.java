package ai.sovereign.backup.target.s3;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code s3} component of {@code GET /health} when the S3 target is configured: {@code HeadBucket} on the
 * configured bucket with the configured credentials, bounded to a few seconds. DOWN (and the service 503) when the
 * bucket is missing, the credentials are refused or the endpoint does not answer, with the reason.
 */
public final class S3HealthCheck implements HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final S3Target target;

    public S3HealthCheck(S3Target target) {
        this.target = target;
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", target.describe());
        long started = System.nanoTime();
        try {
            target.ping(TIMEOUT);
            details.put("head_bucket_ms", (System.nanoTime() - started) / 1_000_000);
            return CheckResult.up(details);
        } catch (IOException | RuntimeException e) {
            details.put("error", e.getMessage());
            return CheckResult.down(details);
        }
    }
}
