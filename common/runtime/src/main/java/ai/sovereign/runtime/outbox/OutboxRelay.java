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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the {@link OutboxJournal} holds to Kafka, in journal order, in batches: a batch is forgotten by the
 * journal only when the broker has acknowledged every event in it; when one fails (Kafka down, a timeout) the relay
 * waits (1 s, doubling to 30 s) and sends the batch again from its first event. Delivery is therefore at least once:
 * after a failure or a crash some events of a batch may arrive twice, and every consumer ignores an event id it has
 * seen. After a restart the relay starts where the journal's relayed position says. An event no retry can deliver
 * (too large for the broker, an invalid topic) is set aside ({@link OutboxJournal#setAside}) instead of blocking every
 * event behind it.
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
            try {
                sent.add(producer.send(new ProducerRecord<>(entry.topic(), entry.key(), entry.value())));
            } catch (KafkaException e) {
                if (!undeliverable(e)) {
                    throw e;
                }
                sent.add(java.util.concurrent.CompletableFuture.failedFuture(e));
            }
        }
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!undeliverable(e.getCause())) {
                    throw e;
                }
                // no retry can deliver it: kept aside, so that it does not stop every event behind it
                journal.setAside(batch.get(i).entry(), e.getCause().toString());
            }
        }
    }

    /** Errors that sending again cannot cure: the event itself is wrong for the broker. */
    private static boolean undeliverable(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof InvalidTopicException;
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
