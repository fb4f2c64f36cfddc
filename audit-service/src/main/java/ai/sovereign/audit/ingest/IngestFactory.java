package ai.sovereign.audit.ingest;

import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.Partitions;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The ingest pieces that are plain classes (so the benchmark can build them without the application context). */
@Factory
public class IngestFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Partitions partitions(AuditDatabase database) {
        return new Partitions(database);
    }

    @Singleton
    RecordClassifier recordClassifier(ConsumerSettings settings) {
        return new RecordClassifier(settings.auditTopic(), settings.usageTopic());
    }

    @Singleton
    BatchWriter batchWriter(AuditDatabase database, Partitions partitions, Clock clock) {
        return new BatchWriter(database, partitions, clock);
    }
}
