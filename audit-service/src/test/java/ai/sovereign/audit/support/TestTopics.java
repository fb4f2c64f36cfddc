package ai.sovereign.audit.support;

import ai.sovereign.testkit.SharedInfrastructure;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** A test's own audit and usage topics on the shared broker, created with a given number of partitions (chains). */
public record TestTopics(String audit, String usage, int partitions) {

    public static TestTopics create(String prefix, int partitions) {
        String suffix = Long.toString(System.nanoTime(), 36);
        TestTopics topics = new TestTopics(
                SharedInfrastructure.PRIVATE_TOPIC_PREFIX + prefix + ".audit." + suffix,
                SharedInfrastructure.PRIVATE_TOPIC_PREFIX + prefix + ".usage." + suffix,
                partitions);
        try (Admin admin = Admin.create(SharedInfrastructure.kafkaOperatorSettings())) {
            admin.createTopics(List.of(
                            new NewTopic(topics.audit, partitions, (short) 1),
                            new NewTopic(topics.usage, partitions, (short) 1)))
                    .all()
                    .get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create topics: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return topics;
    }
}
