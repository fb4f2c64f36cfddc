package ai.sovereign.backup.graph;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neo4j.driver.Values;
import org.neo4j.driver.types.IsoDuration;
import org.neo4j.driver.types.Point;

/**
 * Neo4j property values as typed JSON, {@code [tag, value]}, so that integers stay integers, floats stay floats and
 * temporal values keep their kind through a backup: {@code s} string, {@code i} integer, {@code f} float ({@code F}
 * for NaN/Infinity as text), {@code b} boolean, {@code x} bytes (base64), {@code l} list, {@code d} date,
 * {@code t} local time, {@code ot} time, {@code ldt} local datetime, {@code dt} datetime, {@code dur} duration,
 * {@code p} point. Property maps are sorted by key, which makes the encoding canonical for content hashes.
 */
final class GraphValues {

    private GraphValues() {}

    static Map<String, Object> encodeProperties(Map<String, Object> properties) {
        Map<String, Object> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, encode(v)));
        return out;
    }

    static Map<String, Object> decodeProperties(Map<String, Object> encoded) {
        Map<String, Object> out = new LinkedHashMap<>();
        encoded.forEach((k, v) -> out.put(k, decode(v)));
        return out;
    }

    static List<Object> encode(Object value) {
        return switch (value) {
            case String s -> List.of("s", s);
            case Long l -> List.of("i", l);
            case Integer i -> List.of("i", (long) i);
            case Double d when d.isNaN() || d.isInfinite() -> List.of("F", d.toString());
            case Double d -> List.of("f", d);
            case Float f -> List.of("f", (double) f);
            case Boolean b -> List.of("b", b);
            case byte[] bytes -> List.of("x", Base64.getEncoder().encodeToString(bytes));
            case List<?> list ->
                List.of("l", list.stream().map(GraphValues::encode).toList());
            case LocalDate d -> List.of("d", d.toString());
            case LocalTime t -> List.of("t", t.toString());
            case OffsetTime t -> List.of("ot", t.toString());
            case LocalDateTime t -> List.of("ldt", t.toString());
            case ZonedDateTime t -> List.of("dt", t.toString());
            case IsoDuration d -> List.of("dur", List.of(d.months(), d.days(), d.seconds(), (long) d.nanoseconds()));
            case Point p ->
                List.of(
                        "p",
                        Double.isNaN(p.z())
                                ? List.of((long) p.srid(), p.x(), p.y())
                                : List.of((long) p.srid(), p.x(), p.y(), p.z()));
            default ->
                throw new IllegalArgumentException(
                        "unsupported Neo4j property type " + value.getClass().getName());
        };
    }

    static Object decode(Object encoded) {
        if (!(encoded instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String tag)) {
            throw new IllegalArgumentException("not a typed value: " + encoded);
        }
        Object v = pair.get(1);
        return switch (tag) {
            case "s" -> (String) v;
            case "i" -> ((Number) v).longValue();
            case "f" -> ((Number) v).doubleValue();
            case "F" -> Double.valueOf((String) v);
            case "b" -> (Boolean) v;
            case "x" -> Base64.getDecoder().decode((String) v);
            case "l" -> {
                List<Object> items = new ArrayList<>();
                for (Object item : (List<?>) v) {
                    items.add(decode(item));
                }
                yield items;
            }
            case "d" -> LocalDate.parse((String) v);
            case "t" -> LocalTime.parse((String) v);
            case "ot" -> OffsetTime.parse((String) v);
            case "ldt" -> LocalDateTime.parse((String) v);
            case "dt" -> ZonedDateTime.parse((String) v);
            case "dur" -> {
                List<?> d = (List<?>) v;
                yield Values.isoDuration(
                                ((Number) d.get(0)).longValue(),
                                ((Number) d.get(1)).longValue(),
                                ((Number) d.get(2)).longValue(),
                                ((Number) d.get(3)).intValue())
                        .asIsoDuration();
            }
            case "p" -> {
                List<?> p = (List<?>) v;
                int srid = ((Number) p.get(0)).intValue();
                yield p.size() == 3
                        ? Values.point(srid, ((Number) p.get(1)).doubleValue(), ((Number) p.get(2)).doubleValue())
                                .asPoint()
                        : Values.point(
                                        srid,
                                        ((Number) p.get(1)).doubleValue(),
                                        ((Number) p.get(2)).doubleValue(),
                                        ((Number) p.get(3)).doubleValue())
                                .asPoint();
            }
            default -> throw new IllegalArgumentException("unknown value tag '" + tag + "'");
        };
    }
}
