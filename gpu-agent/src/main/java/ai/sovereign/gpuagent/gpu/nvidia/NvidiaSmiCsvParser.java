package ai.sovereign.gpuagent.gpu.nvidia;

import ai.sovereign.events.GpuTelemetry.GpuStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=<FIELDS> --format=csv,noheader,nounits}: one line per GPU,
 * values separated by {@code ", "}, memory in MiB, utilisation in percent, power in W, clocks in MHz.
 * {@code [N/A]}, {@code [Not Supported]} and any other bracketed marker ({@code [Unknown Error]},
 * {@code [GPU requires reset]}) become absent values, never zero.
 */
public final class NvidiaSmiCsvParser {

    /** The query fields, in the order the parser expects the columns. */
    public static final List<String> FIELDS = List.of(
            "index",
            "uuid",
            "name",
            "memory.total",
            "memory.used",
            "memory.free",
            "utilization.gpu",
            "utilization.memory",
            "temperature.gpu",
            "power.draw",
            "power.limit",
            "clocks.sm",
            "persistence_mode",
            "ecc.errors.uncorrected.volatile.total");

    private static final long MIB = 1024L * 1024L;

    private NvidiaSmiCsvParser() {}

    /** The GPUs in {@code output}; blank lines are skipped. */
    public static List<GpuStats> parse(String output) {
        List<GpuStats> gpus = new ArrayList<>();
        String[] lines = output.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                gpus.add(parseLine(line, i + 1));
            }
        }
        return List.copyOf(gpus);
    }

    private static GpuStats parseLine(String line, int lineNumber) {
        String[] cells = line.split(",", -1);
        if (cells.length != FIELDS.size()) {
            throw new NvidiaSmiFormatException("line " + lineNumber + ": expected " + FIELDS.size()
                    + " comma-separated values (" + String.join(",", FIELDS) + "), got " + cells.length + ": " + line);
        }
        Row row = new Row(cells, lineNumber);
        Integer index = row.integer(0);
        String uuid = row.text(1);
        String name = row.text(2);
        if (index == null || uuid == null || name == null) {
            throw new NvidiaSmiFormatException(
                    "line " + lineNumber + ": index, uuid and name are required, got: " + line);
        }
        return new GpuStats(
                index,
                uuid,
                name,
                mib(row.decimal(3)),
                mib(row.decimal(4)),
                mib(row.decimal(5)),
                percent(row.decimal(6)),
                percent(row.decimal(7)),
                row.decimal(8),
                row.decimal(9),
                row.decimal(10),
                row.integer(11),
                row.enabled(12),
                row.longValue(13));
    }

    private static Long mib(Double value) {
        return value == null ? null : Math.round(value * MIB);
    }

    private static Double percent(Double value) {
        return value == null ? null : value / 100.0;
    }

    /** Whether nvidia-smi printed a marker in place of a value. */
    static boolean isAbsent(String cell) {
        return cell.isEmpty() || (cell.startsWith("[") && cell.endsWith("]")) || cell.equalsIgnoreCase("N/A");
    }

    private record Row(String[] cells, int lineNumber) {

        String text(int column) {
            String cell = cells[column].strip();
            return isAbsent(cell) ? null : cell;
        }

        Double decimal(int column) {
            String cell = text(column);
            if (cell == null) {
                return null;
            }
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw invalid(column, "a number", cell);
            }
        }

        Integer integer(int column) {
            Long value = longValue(column);
            return value == null ? null : Math.toIntExact(value);
        }

        Long longValue(int column) {
            String cell = text(column);
            if (cell == null) {
                return null;
            }
            try {
                return Long.parseLong(cell);
            } catch (NumberFormatException e) {
                throw invalid(column, "an integer", cell);
            }
        }

        Boolean enabled(int column) {
            String cell = text(column);
            if (cell == null) {
                return null;
            }
            return switch (cell.toLowerCase(Locale.ROOT)) {
                case "enabled" -> true;
                case "disabled" -> false;
                default -> throw invalid(column, "Enabled or Disabled", cell);
            };
        }

        private NvidiaSmiFormatException invalid(int column, String expected, String cell) {
            return new NvidiaSmiFormatException("line " + lineNumber + ", " + FIELDS.get(column) + ": expected "
                    + expected + ", got \"" + cell + "\"");
        }
    }
}
