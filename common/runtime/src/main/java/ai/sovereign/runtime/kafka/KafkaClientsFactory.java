package ai.sovereign.runtime.kafka;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The service's Kafka producer (idempotent, acks=all, as the design requires of every producer) and admin client,
 * with the producer's client metrics bound to the service's registry.
 *
 * <p>Batching: {@code kafka.producer.linger-ms} (default 5) and {@code kafka.producer.batch-size} (bytes per partition
 * batch, default {@value #DEFAULT_BATCH_SIZE}). Kafka's own default batch size (16 KiB, about 20 CloudEvents of ~0.8 KB)
 * capped the router's usage records at one 16 KiB produce request each per ~20 records when many were sent at once
 * (a produce request per ~1.2 ms at 8 500 records/s, each a broker request to handle); a bigger cap lets one produce
 * request carry all that gathered, and costs memory only while that much is waiting.
 */
@Factory
public class KafkaClientsFactory {

    /** Default of {@code kafka.producer.batch-size}: 256 KiB per partition batch. */
    public static final int DEFAULT_BATCH_SIZE = 262_144;

    @Context
    @Bean(preDestroy = "close")
    Producer<String, byte[]> producer(KafkaSettings settings, MeterRegistry registry,
                                      @Value("${kafka.producer.linger-ms:5}") int lingerMs,
                                      @Value("${kafka.producer.batch-size:" + DEFAULT_BATCH_SIZE + "}") int batchSize) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, settings.clientIdPrefix() + "-producer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, lingerMs,
                ProducerConfig.BATCH_SIZE_CONFIG, batchSize,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000), new StringSerializer(), new ByteArraySerializer());
        new KafkaClientMetrics(producer).bindTo(registry);
        return producer;
    }

    @Singleton
    @Bean(preDestroy = "close")
    Admin admin(KafkaSettings settings) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, settings.clientIdPrefix() + "-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }
}
