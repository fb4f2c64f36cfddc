package ai.sovereign.audit.retention;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One month of a partitioned table, named {@code <table>_y<yyyy>m<mm>} by {@code ensure_month_partition}. */
record MonthPartition(String table, String name, YearMonth month) {

    private static final Pattern NAME = Pattern.compile("(events|usage_records)_y(\\d{4})m(\\d{2})");

    static Optional<MonthPartition> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new MonthPartition(
                m.group(1), name, YearMonth.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))));
    }

    Instant from() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    Instant to() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The name as a quoted SQL identifier (it matched {@link #NAME}, so it holds no quote). */
    String quoted() {
        return "\"" + name + "\"";
    }
}
