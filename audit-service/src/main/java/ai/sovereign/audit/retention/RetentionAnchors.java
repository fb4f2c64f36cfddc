package ai.sovereign.audit.retention;

import ai.sovereign.audit.chain.HashChain;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * What a retention drop signs: the partition and, per chain, the last event it removed (the anchor the first remaining
 * event continues from). The signed text is built from the values, not from the stored JSON, so that PostgreSQL's
 * {@code jsonb} normalisation cannot change it: {@code sovereign.audit.retention-anchors.v1}, the table, the partition,
 * then {@code chain:seq:hash} per chain in chain order, one per line.
 */
public final class RetentionAnchors {

    private RetentionAnchors() {}

    /** One chain's anchor. */
    public record Anchor(int chain, long seq, byte[] hash) {}

    /** The bytes the checkpoint key signs for a drop of {@code partition} of {@code table}. */
    public static byte[] payload(String table, String partition, List<Anchor> anchors) {
        StringBuilder text = new StringBuilder("sovereign.audit.retention-anchors.v1\n")
                .append(table)
                .append('\n')
                .append(partition)
                .append('\n');
        anchors.stream()
                .sorted(Comparator.comparingInt(Anchor::chain))
                .forEach(a -> text.append(a.chain())
                        .append(':')
                        .append(a.seq())
                        .append(':')
                        .append(HashChain.hex(a.hash()))
                        .append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
