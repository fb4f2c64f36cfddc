package ai.sovereign.runtime.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox journal on its own: order, restarts, segments, a full journal, a damaged tail, a second writer. */
class OutboxJournalTest {

    private static final long MAX = 1 << 20;
    private static final long SEGMENT = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void eventsComeBackInOrderAndSurviveAReopenUntilRelayed() throws Exception {
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            appendAll(journal, 0, 300);
            assertEquals(300, journal.pendingEvents());
            List<OutboxJournal.Read> first = journal.read(journal.relayedPosition(), 100, 0);
            assertEquals(values(0, 100), values(first));
            journal.relayedUpTo(first.get(99).next(), 100, bytes(first));
            assertEquals(200, journal.pendingEvents());
        }
        // a new process: what was relayed is gone, the rest is still there, in order, and new events follow it
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            assertEquals(200, journal.pendingEvents());
            appendAll(journal, 300, 310);
            List<OutboxJournal.Read> rest = journal.read(journal.relayedPosition(), 1000, 0);
            assertEquals(values(100, 310), values(rest));
            assertEquals("topic-7", rest.get(7).entry().topic());
            assertEquals("key-107", rest.get(7).entry().key());
            journal.relayedUpTo(rest.get(rest.size() - 1).next(), rest.size(), bytes(rest));
            assertEquals(0, journal.pendingEvents());
            assertEquals(0, journal.pendingBytes());
        }
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT);
                Stream<Path> files = Files.list(dir)) {
            assertEquals(0, journal.pendingEvents());
            assertTrue(files.filter(f -> f.toString().endsWith(".log")).count() <= 2, "relayed segments are deleted");
        }
    }

    @Test
    void aFullJournalRefusesNewEventsUntilTheRelayCatchesUp() throws Exception {
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            byte[] big = new byte[100_000];
            int accepted = 0;
            ExecutionException refused = null;
            for (int i = 0; i < 20 && refused == null; i++) {
                try {
                    journal.append("t", "k", big).get();
                    accepted++;
                } catch (ExecutionException e) {
                    refused = e;
                }
            }
            assertEquals(10, accepted, "1 MiB holds ten 100 KB events");
            assertInstanceOf(OutboxJournal.FullException.class, refused.getCause());
            List<OutboxJournal.Read> all = journal.read(journal.relayedPosition(), 100, 0);
            journal.relayedUpTo(all.get(all.size() - 1).next(), all.size(), bytes(all));
            journal.append("t", "k", big).get();
        }
    }

    @Test
    void aRecordCutShortByACrashIsMovedAsideAndEveryCompleteOneIsKept() throws Exception {
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            appendAll(journal, 0, 50);
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3); // the last record loses its last 3 bytes
        }
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            assertEquals(49, journal.pendingEvents());
            assertEquals(1, journal.damagedRecords());
            assertEquals(values(0, 49), values(journal.read(journal.relayedPosition(), 100, 0)));
            appendAll(journal, 50, 52);
            assertEquals(51, journal.read(journal.relayedPosition(), 100, 0).size());
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path aside = files.filter(f -> f.getFileName().toString().contains(".damaged-"))
                    .findFirst()
                    .orElseThrow();
            long offset = Long.parseLong(aside.getFileName().toString().replaceAll(".*\\.damaged-", ""));
            assertEquals(offset, Files.size(segment), "the name says where the damage started");
            assertEquals(size - 3 - offset, Files.size(aside), "the damaged bytes are kept for inspection");
        }
    }

    @Test
    void aChangedByteMovesTheRestOfItsSegmentAside() throws Exception {
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            appendAll(journal, 0, 20);
        }
        Path segment = onlySegment();
        byte[] bytes = Files.readAllBytes(segment);
        int at = 0;
        for (int i = 0; i < 10; i++) {
            at += OutboxJournal.HEADER + java.nio.ByteBuffer.wrap(bytes, at, 4).getInt();
        }
        bytes[at + OutboxJournal.HEADER + 3] ^= 1; // inside the 11th record's payload
        Files.write(segment, bytes);
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            assertEquals(values(0, 10), values(journal.read(journal.relayedPosition(), 100, 0)));
            assertEquals(1, journal.damagedRecords());
        }
    }

    @Test
    void aSecondWriterOnTheSameDirectoryIsRefusedAndOthersCannotLookIn() throws Exception {
        try (OutboxJournal journal = OutboxJournal.open(dir, MAX, SEGMENT)) {
            assertEquals(
                    "rwx------",
                    java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            IOException e = assertThrows(IOException.class, () -> OutboxJournal.open(dir, MAX, SEGMENT));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    private static void appendAll(OutboxJournal journal, int from, int to) {
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int i = from; i < to; i++) {
            written.add(
                    journal.append("topic-" + (i % 10), "key-" + i, ("event-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
    }

    private Path onlySegment() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments =
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
            return segments.get(0);
        }
    }

    private static List<String> values(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("event-" + i);
        }
        return out;
    }

    private static List<String> values(List<OutboxJournal.Read> reads) {
        return reads.stream()
                .map(r -> new String(r.entry().value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static long bytes(List<OutboxJournal.Read> reads) {
        return reads.stream().mapToLong(OutboxJournal.Read::size).sum();
    }
}
