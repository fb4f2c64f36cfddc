package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.audit.store.ChainHead;
import ai.sovereign.runtime.signing.SigningKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a checkpoint for every chain whose head moved since its last checkpoint, every
 * {@code audit.checkpoint.interval} and on demand. The database insert happens under an advisory lock (so two
 * replicas never sign two checkpoints with the same predecessor), then the files are written; a file that cannot be
 * written is logged and counted ({@code audit_checkpoint_file_failures_total}) and shows in verification as a warning.
 */
@Singleton
public final class CheckpointWriter {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);
    /** Advisory lock key serialising checkpoint creation across replicas. */
    private static final long LOCK_KEY = 0x6175646974_01L;

    private final AuditDatabase database;
    private final SigningKey key;
    private final CheckpointFiles files;
    private final Clock clock;
    private final Counter fileFailures;
    private final AtomicLong lastCheckpointMicros = new AtomicLong(Long.MIN_VALUE);

    public CheckpointWriter(
            AuditDatabase database, SigningKey key, CheckpointFiles files, Clock clock, MeterRegistry registry) {
        this.database = database;
        this.key = key;
        this.files = files;
        this.clock = clock;
        this.fileFailures = Counter.builder("audit.checkpoint.file.failures")
                .description("Checkpoints signed and stored in the database whose file copy could not be written")
                .register(registry);
        Gauge.builder(
                        "audit.last.checkpoint.timestamp.seconds",
                        lastCheckpointMicros,
                        v -> v.get() == Long.MIN_VALUE ? Double.NaN : v.get() / 1e6)
                .description("When this service last signed a checkpoint, in Unix seconds")
                .register(registry);
    }

    @Scheduled(fixedDelay = "${audit.checkpoint.interval:5m}", initialDelay = "${audit.checkpoint.interval:5m}")
    void scheduled() {
        try {
            checkpointAll();
        } catch (SQLException | RuntimeException e) {
            LOG.error("checkpointing failed, will retry at the next interval: {}", e.getMessage(), e);
        }
    }

    /** Signs and stores a checkpoint for each chain that advanced; returns the new checkpoints. */
    public synchronized List<Checkpoint> checkpointAll() throws SQLException {
        List<Checkpoint> created = new ArrayList<>();
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_KEY);
                lock.executeQuery().close();
                Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                for (ChainHead head : ChainHead.all(connection)) {
                    Optional<Checkpoint> previous = CheckpointStore.latest(connection, head.chain());
                    if (previous.isPresent() && previous.get().seq() >= head.seq()) {
                        continue;
                    }
                    Checkpoint checkpoint =
                            sign(head, now, previous.map(Checkpoint::signature).orElse(null));
                    if (CheckpointStore.insert(connection, checkpoint)) {
                        created.add(checkpoint);
                    }
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        for (Checkpoint checkpoint : created) {
            lastCheckpointMicros.accumulateAndGet(
                    ChronoUnit.MICROS.between(Instant.EPOCH, checkpoint.time()), Math::max);
            try {
                files.append(checkpoint, key.publicKeyBase64());
            } catch (IOException e) {
                fileFailures.increment();
                LOG.error(
                        "checkpoint of chain {} at seq {} is in the database but its file could not be written: {}",
                        checkpoint.chain(),
                        checkpoint.seq(),
                        e.getMessage(),
                        e);
            }
        }
        return created;
    }

    private Checkpoint sign(ChainHead head, Instant time, byte[] previousSignature) {
        byte[] payload =
                Checkpoint.payload(head.chain(), head.seq(), head.hash(), time, previousSignature, key.keyId());
        return new Checkpoint(
                head.chain(), head.seq(), head.hash(), time, previousSignature, key.keyId(), key.sign(payload));
    }
}
