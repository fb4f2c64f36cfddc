package ai.sovereign.runtime.kafka;

import ai.sovereign.runtime.health.CheckResult;
import ai.sovereign.runtime.health.HealthCheck;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Kafka is UP when the cluster describes itself (id and brokers) within three seconds, through micronaut-kafka's admin
 * client; the details name the address. micronaut-kafka's own indicator is off ({@code kafka.health.enabled: false}):
 * it reads the brokers' configuration (which needs the DESCRIBE_CONFIGS permission) or, restricted, reaches into the
 * Kafka client's internal network client, where a describeCluster through the admin API is all this check needs.
 */
@Singleton
public class KafkaHealthCheck implements HealthCheck {

    private final AdminClient admin;
    private final String bootstrapServers;

    public KafkaHealthCheck(AdminClient admin, KafkaDefaultConfiguration kafka) {
        this.admin = admin;
        this.bootstrapServers = String.valueOf(kafka.getConfig().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public CheckResult check() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("bootstrapServers", bootstrapServers);
        try {
            // the call's own deadline, not only the wait's: a call left pending against a dead broker holds the admin
            // client's close at shutdown for its default 60 s
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000));
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
