package ai.sovereign.runtime.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link OutboxJournal} holds to Kafka, in journal order, in batches: a batch is forgotten by the
 * journal only when the broker has acknowledged every event in it; when one fails (Kafka down, a timeout) the relay
 * waits (1 s, doubling to 30 s) and sends the batch again from its first event. Delivery is therefore at least once:
 * after a failure or a crash some events of a batch may arrive twice, and every consumer ignores an event id it has
 * seen. After a restart the relay starts where the journal's relayed position says.
 */
final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final OutboxJournal journal;
    private final Producer<String, byte[]> producer;
    private final Duration sendTimeout;
    private final Thread thread;
    private volatile boolean stopped;

    OutboxRelay(OutboxJournal journal, Producer<String, byte[]> producer, Duration sendTimeout) {
        this.journal = journal;
        this.producer = producer;
        this.sendTimeout = sendTimeout;
        this.thread = Thread.ofPlatform()
                .name("outbox-relay-" + journal.directory().getFileName())
                .daemon()
                .start(this::run);
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!stopped) {
            try {
                List<OutboxJournal.Read> batch = journal.read(journal.relayedPosition(), BATCH, 200);
                if (batch.isEmpty()) {
                    continue;
                }
                send(batch);
                long bytes = 0;
                for (OutboxJournal.Read read : batch) {
                    bytes += read.size();
                }
                journal.relayedUpTo(batch.get(batch.size() - 1).next(), batch.size(), bytes);
                if (backoff != FIRST_BACKOFF) {
                    LOG.info("outbox: relaying to Kafka again; {} events still waiting", journal.pendingEvents());
                }
                backoff = FIRST_BACKOFF;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (stopped) {
                    return;
                }
                LOG.warn(
                        "outbox: relaying to Kafka failed ({}); {} events wait in {}, retrying in {} s",
                        e.toString(),
                        journal.pendingEvents(),
                        journal.directory(),
                        backoff.toSeconds());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void send(List<OutboxJournal.Read> batch)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
        for (OutboxJournal.Read read : batch) {
            OutboxJournal.Entry entry = read.entry();
            sent.add(producer.send(new ProducerRecord<>(entry.topic(), entry.key(), entry.value())));
        }
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        for (Future<RecordMetadata> future : sent) {
            future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops relaying after the batch in flight; what is left waits in the journal for the next start. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
