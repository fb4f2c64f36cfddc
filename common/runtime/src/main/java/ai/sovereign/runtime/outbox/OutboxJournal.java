package ai.sovereign.runtime.outbox;

import ai.sovereign.runtime.files.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's local append-only journal: events a service must not lose are written here (fsync'd in groups: one
 * {@code force} for all that arrived while the previous one ran) before they are relayed to Kafka, so they survive a
 * Kafka outage of any length and a crash or redeploy during one.
 *
 * <p>Files in the directory: segments {@code segment-<20-digit sequence>.log}, each a run of records {@code [int
 * length][int CRC32C][long appended-at millis][payload]} (the CRC covers the time and the payload); {@code
 * relayed.position} ({@code <segment sequence> <offset>}: everything before it has reached Kafka); {@code lock}. A
 * segment is deleted once everything in it is relayed. On open, the records after the relayed position are checked:
 * at the first damaged one (cut short by a crash, or changed) the rest of that segment is moved aside into {@code
 * <segment>.damaged-<offset>}, named in a warning and counted, and every complete record before it is relayed.
 * Appends after an open always start a new segment.
 *
 * <p>Hand-written rather than a library: see docs/architecture.md ("The outbox") for the comparison.
 */
public final class OutboxJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxJournal.class);

    static final int HEADER = 16;
    /** No event is near this; a length beyond it is damage, not a record. */
    static final int MAX_RECORD = 8 << 20;

    private static final String POSITION_FILE = "relayed.position";

    /** An event as journaled. */
    public record Entry(String topic, String key, byte[] value, long appendedAtMillis) {}

    /** A position in the journal: a segment and a byte offset in it. */
    record Position(long segment, long offset) implements Comparable<Position> {
        @Override
        public int compareTo(Position other) {
            int bySegment = Long.compare(segment, other.segment);
            return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
        }
    }

    /** An entry read for the relay, with where the next one starts. */
    record Read(Entry entry, Position next, int size) {}

    /** The journal holds {@code maxBytes} not yet relayed: new events are refused until the relay catches up. */
    public static final class FullException extends IOException {
        FullException(String message) {
            super(message);
        }
    }

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final LongSupplier clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final TreeMap<Long, Path> segments = new TreeMap<>();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Object durableMonitor = new Object();

    private final AtomicLong pendingEvents = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong damagedRecords = new AtomicLong();
    private final AtomicLong undeliverable = new AtomicLong();

    private FileChannel current;
    private long currentSegment;
    private volatile Position durable;
    private volatile Position relayed;
    private volatile boolean closed;

    private record Pending(Entry entry, byte[] record, CompletableFuture<Void> done) {}

    /** An entry the writer just wrote, where it starts and what the relay needs of it. */
    private record Recent(Position start, Read read) {}

    /** At most this many written entries wait in memory for the relay; past it the relay reads the disk. */
    private static final int RECENT_MAX = 20_000;

    private final java.util.concurrent.ConcurrentLinkedQueue<Recent> recent =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger recentCount =
            new java.util.concurrent.atomic.AtomicInteger();

    private static final Pending STOP = new Pending(null, null, null);

    /** Opens (or creates) the journal in {@code directory}, recovering what an earlier process left. */
    public static OutboxJournal open(Path directory, long maxBytes, long segmentBytes) throws IOException {
        return new OutboxJournal(directory, maxBytes, segmentBytes, System::currentTimeMillis);
    }

    OutboxJournal(Path directory, long maxBytes, long segmentBytes, LongSupplier clock) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.clock = clock;
        // the journal holds the service's events (audit details, usage) and whoever writes here speaks as the service
        OwnerOnlyFiles.directory(directory);
        lockChannel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;
        }
        if (taken == null) {
            lockChannel.close();
            throw new IOException("the outbox directory " + directory.toAbsolutePath()
                    + " is in use by another process (or service instance); give each its own");
        }
        lock = taken;
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().matches("segment-\\d{20}\\.log"))
                    .forEach(f -> segments.put(sequenceOf(f), f));
        }
        relayed = readPosition();
        segments.headMap(relayed.segment()).values().forEach(OutboxJournal::deleteQuietly);
        segments.headMap(relayed.segment()).clear();
        if (!segments.containsKey(relayed.segment())) {
            relayed = new Position(segments.isEmpty() ? 1 : segments.firstKey(), 0);
        }
        recover();
        currentSegment = segments.isEmpty() ? Math.max(1, relayed.segment()) : segments.lastKey() + 1;
        openSegment(currentSegment);
        durable = new Position(currentSegment, 0);
        writer = Thread.ofPlatform()
                .name("outbox-writer-" + directory.getFileName())
                .daemon()
                .start(this::writeLoop);
    }

    /**
     * Journals {@code entry}: the future completes once it is on disk (fsync'd), or fails ({@link FullException} when
     * the journal holds its maximum, an {@link IOException} when the disk refuses).
     */
    public CompletableFuture<Void> append(String topic, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException("the outbox is closed"));
            return done;
        }
        Entry entry = new Entry(topic, key, value, clock.getAsLong());
        byte[] record = encode(entry);
        if (pendingBytes.get() + record.length > maxBytes) {
            done.completeExceptionally(new FullException("the outbox holds " + pendingBytes.get()
                    + " bytes not yet relayed to Kafka (sovereign.outbox.max-bytes " + maxBytes + ")"));
            return done;
        }
        queue.add(new Pending(entry, record, done));
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.take();
                batch.add(first);
                queue.drainTo(batch, 4096);
                boolean stop = batch.removeIf(p -> p == STOP);
                if (!batch.isEmpty()) {
                    write(batch);
                }
                batch.clear();
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<Recent> written = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                if (current.position() > 0 && current.position() + p.record().length > segmentBytes) {
                    current.force(false);
                    current.close();
                    openSegment(++currentSegment);
                }
                Position start = new Position(currentSegment, current.position());
                ByteBuffer buffer = ByteBuffer.wrap(p.record());
                while (buffer.hasRemaining()) {
                    current.write(buffer);
                }
                written.add(new Recent(
                        start,
                        new Read(p.entry(), new Position(currentSegment, current.position()), p.record().length)));
            }
            current.force(false);
            if (recentCount.get() + written.size() <= RECENT_MAX) {
                recentCount.addAndGet(written.size());
                recent.addAll(written);
            }
            long bytes = 0;
            for (Pending p : batch) {
                bytes += p.record().length;
            }
            pendingBytes.addAndGet(bytes);
            pendingEvents.addAndGet(batch.size());
            synchronized (durableMonitor) {
                durable = new Position(currentSegment, current.position());
                durableMonitor.notifyAll();
            }
            batch.forEach(p -> p.done().complete(null));
        } catch (IOException | RuntimeException e) {
            LOG.error("the outbox could not write to {}: {}", directory, e.toString());
            batch.forEach(p -> p.done().completeExceptionally(e));
        }
    }

    private void openSegment(long sequence) throws IOException {
        Path file = directory.resolve(segmentName(sequence));
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        current.position(current.size());
        synchronized (segments) {
            segments.put(sequence, file);
        }
    }

    /** Entries after {@code from}, up to {@code max} of them, not beyond what is on disk; waits up to {@code wait}. */
    List<Read> read(Position from, int max, long waitMillis) throws IOException {
        return read(from, max, waitMillis, true);
    }

    /** {@link #read(Position, int, long)}; {@code memory} false reads the disk only (leaves the relay's entries). */
    private List<Read> read(Position from, int max, long waitMillis, boolean memory) throws IOException {
        synchronized (durableMonitor) {
            if (from.compareTo(durable) >= 0 && waitMillis > 0 && !closed) {
                try {
                    durableMonitor.wait(waitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
        }
        Position end = durable;
        List<Read> fromMemory = memory ? fromMemory(from, max, end) : List.of();
        if (!fromMemory.isEmpty()) {
            return fromMemory;
        }
        List<Read> out = new ArrayList<>();
        Position at = from;
        while (out.size() < max && at.compareTo(end) < 0) {
            Path file;
            synchronized (segments) {
                file = segments.get(at.segment());
            }
            long limit = file == null ? 0 : at.segment() == end.segment() ? end.offset() : Files.size(file);
            if (at.offset() >= limit) {
                // this segment is read to its end (or was emptied by recovery): go on with the next one
                Long next;
                synchronized (segments) {
                    next = segments.higherKey(at.segment());
                }
                if (next == null || next > end.segment()) {
                    break;
                }
                at = new Position(next, 0);
                continue;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.position(at.offset());
                while (out.size() < max && channel.position() < limit) {
                    long offset = channel.position();
                    Entry entry = readRecord(channel, limit);
                    int size = (int) (channel.position() - offset);
                    at = new Position(at.segment(), channel.position());
                    out.add(new Read(entry, at, size));
                }
            }
        }
        return out;
    }

    /**
     * The entries just written, in order, as the writer handed them over: a relay that keeps up takes them from here
     * instead of reading the segment again; one that fell behind (or retries a batch) reads the disk.
     */
    private List<Read> fromMemory(Position from, int max, Position end) {
        Recent head = recent.peek();
        while (head != null && head.start().compareTo(from) < 0) {
            if (recent.poll() != null) {
                recentCount.decrementAndGet();
            }
            head = recent.peek();
        }
        if (head == null || !head.start().equals(from)) {
            return List.of();
        }
        List<Read> out = new ArrayList<>();
        Position expected = from;
        while (out.size() < max && head != null && head.read().next().compareTo(end) <= 0) {
            boolean follows = head.start().equals(expected)
                    || (head.start().segment() > expected.segment()
                            && head.start().offset() == 0);
            if (!follows) {
                break;
            }
            if (recent.poll() != null) {
                recentCount.decrementAndGet();
            }
            out.add(head.read());
            expected = head.read().next();
            head = recent.peek();
        }
        return out;
    }

    /** Everything before {@code position} has reached Kafka: forget it. */
    void relayedUpTo(Position position, int events, long bytes) throws IOException {
        pendingEvents.addAndGet(-events);
        pendingBytes.addAndGet(-bytes);
        relayed = position;
        Path temporary = directory.resolve(POSITION_FILE + ".tmp");
        Files.writeString(temporary, position.segment() + " " + position.offset() + "\n");
        Files.move(temporary, directory.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE);
        List<Path> done = new ArrayList<>();
        synchronized (segments) {
            var before = segments.headMap(position.segment());
            done.addAll(before.values());
            before.clear();
        }
        done.forEach(OutboxJournal::deleteQuietly);
    }

    /**
     * Keeps an event no retry can deliver in {@code undeliverable-<millis>-<n>.event} (the record format, so the
     * journal's reader reads it), logs it and counts it ({@code outbox_undeliverable_events_total}).
     */
    void setAside(Entry entry, String why) {
        undeliverable.incrementAndGet();
        Path file = directory.resolve("undeliverable-" + clock.getAsLong() + "-" + undeliverable.get() + ".event");
        try {
            Files.write(file, encode(entry));
        } catch (IOException | RuntimeException e) {
            LOG.error("outbox: could not keep the undeliverable event in {}: {}", file, e.toString());
        }
        LOG.error(
                "outbox: an event for {} (key {}, {} bytes) cannot be delivered ({}); kept in {}, the relay goes on",
                entry.topic(),
                entry.key(),
                entry.value().length,
                why,
                file);
    }

    public long undeliverableEvents() {
        return undeliverable.get();
    }

    Position relayedPosition() {
        return relayed;
    }

    public long pendingEvents() {
        return pendingEvents.get();
    }

    public long pendingBytes() {
        return pendingBytes.get();
    }

    public long damagedRecords() {
        return damagedRecords.get();
    }

    /** Seconds since the oldest event not yet relayed was journaled; 0 when there is none. */
    public double oldestPendingAgeSeconds() {
        if (pendingEvents.get() <= 0) {
            return 0;
        }
        try {
            List<Read> oldest = read(relayed, 1, 0, false);
            return oldest.isEmpty()
                    ? 0
                    : Math.max(0, (clock.getAsLong() - oldest.get(0).entry().appendedAtMillis()) / 1000.0);
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    Path directory() {
        return directory;
    }

    /** Writes what was appended (waiting up to 10 s for the writer) and releases the directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (durableMonitor) {
            durableMonitor.notifyAll();
        }
        try {
            current.close();
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("closing the outbox in {}: {}", directory, e.toString());
        }
    }

    // --- recovery ---

    private void recover() throws IOException {
        for (var segment : new ArrayList<>(segments.entrySet())) {
            long start = segment.getKey() == relayed.segment() ? relayed.offset() : 0;
            Path file = segment.getValue();
            long size = Files.size(file);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.position(Math.min(start, size));
                while (channel.position() < size) {
                    long offset = channel.position();
                    try {
                        readRecord(channel, size);
                        pendingEvents.incrementAndGet();
                        pendingBytes.addAndGet(channel.position() - offset);
                    } catch (DamagedRecord e) {
                        moveAside(channel, file, offset, size, e.getMessage());
                        break;
                    }
                }
            }
            if (Files.size(file) == 0 && segment.getKey() != relayed.segment()) {
                deleteQuietly(file);
                segments.remove(segment.getKey());
            }
        }
    }

    private void moveAside(FileChannel channel, Path file, long offset, long size, String why) throws IOException {
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + offset);
        try (FileChannel out = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.transferTo(offset, size - offset, out);
            out.force(false);
        }
        channel.truncate(offset);
        channel.force(false);
        damagedRecords.incrementAndGet();
        LOG.warn(
                "outbox: damaged record in {} at offset {} ({}); the {} bytes from there were moved to {}, every"
                        + " complete record before it will be relayed",
                file,
                offset,
                why,
                size - offset,
                aside);
    }

    /** A record that is cut short or does not match its checksum. */
    static final class DamagedRecord extends IOException {
        DamagedRecord(String message) {
            super(message);
        }
    }

    private static Entry readRecord(FileChannel channel, long limit) throws IOException {
        long offset = channel.position();
        if (limit - offset < HEADER) {
            throw new DamagedRecord("a record header cut short");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(channel, header);
        header.flip();
        int length = header.getInt();
        int crc = header.getInt();
        long appendedAt = header.getLong();
        if (length < 4 || length > MAX_RECORD) {
            throw new DamagedRecord("a record length of " + length);
        }
        if (limit - offset - HEADER < length) {
            throw new DamagedRecord("a record of " + length + " bytes cut short at " + (limit - offset - HEADER));
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        readFully(channel, payload);
        CRC32C check = new CRC32C();
        check.update(ByteBuffer.allocate(8).putLong(0, appendedAt));
        check.update(payload.array());
        if ((int) check.getValue() != crc) {
            throw new DamagedRecord("a checksum mismatch");
        }
        return decode(payload.flip(), appendedAt);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new DamagedRecord("the file ends inside a record");
            }
        }
    }

    static byte[] encode(Entry entry) {
        byte[] topic = entry.topic().getBytes(StandardCharsets.UTF_8);
        byte[] key = entry.key() == null ? null : entry.key().getBytes(StandardCharsets.UTF_8);
        int length = 2 + topic.length + 4 + (key == null ? 0 : key.length) + entry.value().length;
        if (length > MAX_RECORD) {
            throw new IllegalArgumentException("an event of " + length + " bytes is more than the outbox takes");
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        payload.putShort((short) topic.length).put(topic);
        payload.putInt(key == null ? -1 : key.length);
        if (key != null) {
            payload.put(key);
        }
        payload.put(entry.value());
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(8).putLong(0, entry.appendedAtMillis()));
        crc.update(payload.array());
        return ByteBuffer.allocate(HEADER + length)
                .putInt(length)
                .putInt((int) crc.getValue())
                .putLong(entry.appendedAtMillis())
                .put(payload.array())
                .array();
    }

    private static Entry decode(ByteBuffer payload, long appendedAt) throws DamagedRecord {
        try {
            byte[] topic = new byte[payload.getShort()];
            payload.get(topic);
            int keyLength = payload.getInt();
            byte[] key = keyLength < 0 ? null : new byte[keyLength];
            if (key != null) {
                payload.get(key);
            }
            byte[] value = new byte[payload.remaining()];
            payload.get(value);
            return new Entry(
                    new String(topic, StandardCharsets.UTF_8),
                    key == null ? null : new String(key, StandardCharsets.UTF_8),
                    value,
                    appendedAt);
        } catch (RuntimeException e) {
            throw new DamagedRecord("a record whose fields do not fit its length");
        }
    }

    private Position readPosition() throws IOException {
        Path file = directory.resolve(POSITION_FILE);
        if (!Files.exists(file)) {
            return new Position(segments.isEmpty() ? 1 : segments.firstKey(), 0);
        }
        String[] parts = Files.readString(file).trim().split(" ");
        try {
            return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            LOG.warn("outbox: {} is unreadable ({}); relaying everything in the journal again", file, e.toString());
            return new Position(segments.isEmpty() ? 1 : segments.firstKey(), 0);
        }
    }

    private static String segmentName(long sequence) {
        return String.format("segment-%020d.log", sequence);
    }

    private static long sequenceOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring("segment-".length(), name.length() - ".log".length()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("outbox: could not delete {}: {}", file, e.toString());
        }
    }
}
