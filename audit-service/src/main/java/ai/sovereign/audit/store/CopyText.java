package ai.sovereign.audit.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format: tab-separated columns, {@code \N} for null,
 * backslash escapes for backslash, tab, newline and carriage return. Values travel as data, never as SQL.
 */
public final class CopyText {

    private static final HexFormat HEX = HexFormat.of();

    private final StringBuilder out = new StringBuilder(8192);
    private boolean rowStarted;
    private int rows;

    public CopyText text(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return this;
    }

    public CopyText number(long value) {
        separator();
        out.append(value);
        return this;
    }

    public CopyText number(Double value) {
        separator();
        if (value == null) {
            out.append("\\N");
        } else {
            out.append(value.doubleValue());
        }
        return this;
    }

    public CopyText bool(boolean value) {
        separator();
        out.append(value ? 't' : 'f');
        return this;
    }

    public CopyText uuid(UUID value) {
        separator();
        out.append(value);
        return this;
    }

    public CopyText instant(Instant value) {
        separator();
        out.append(value);
        return this;
    }

    /** A bytea in hex form; the backslash of {@code \x} is itself escaped for the COPY text format. */
    public CopyText bytes(byte[] value) {
        separator();
        out.append("\\\\x").append(HEX.formatHex(value));
        return this;
    }

    public CopyText endRow() {
        out.append('\n');
        rowStarted = false;
        rows++;
        return this;
    }

    public int rows() {
        return rows;
    }

    public byte[] toBytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void separator() {
        if (rowStarted) {
            out.append('\t');
        }
        rowStarted = true;
    }
}
