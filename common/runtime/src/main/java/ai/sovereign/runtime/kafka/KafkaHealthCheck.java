package ai.sovereign.runtime.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;

/** Kafka is UP when the cluster describes itself (id and brokers) within three seconds. */
@Singleton
public class KafkaHealthCheck implements HealthCheck {

    private final Admin admin;
    private final KafkaSettings settings;

    public KafkaHealthCheck(Admin admin, KafkaSettings settings) {
        this.admin = admin;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrapServers", settings.bootstrapServers());
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            details.put("clusterId", cluster.clusterId().get(3, TimeUnit.SECONDS));
            details.put("brokers", cluster.nodes().get(3, TimeUnit.SECONDS).size());
            return CheckResult.up(details);
        } catch (ExecutionException | TimeoutException e) {
            details.put("error", e.getCause() != null ? e.getCause().getMessage() : "no answer within 3 s");
            return CheckResult.down(details);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            details.put("error", "interrupted");
            return CheckResult.down(details);
        }
    }
}
