package ai.sovereign.runtime.kafka;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** Where Kafka is: {@code kafka.bootstrap.servers} ({@code KAFKA_BOOTSTRAP_SERVERS}). */
@Singleton
public record KafkaSettings(@Value("${kafka.bootstrap.servers:localhost:9092}") String bootstrapServers,
                            @Value("${micronaut.application.name:service}") String clientIdPrefix) {
}
