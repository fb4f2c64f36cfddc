package ai.sovereign.events;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Checks a JSON tree against the shape of a record class before Jackson binds it, so that every mismatch is
 * reported with its path ({@code data.gpus[0].index}) in words a producer can act on. Components are required
 * unless annotated {@link Nullable}; fields the record does not know are ignored.
 */
final class ShapeValidator {

    private static final int MAX_QUOTED_LENGTH = 64;

    private record Component(String name, Type type, boolean nullable) {}

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> recordClass) {
            return Arrays.stream(recordClass.getRecordComponents())
                    .map(ShapeValidator::component)
                    .toList();
        }
    };

    private ShapeValidator() {}

    private static Component component(RecordComponent rc) {
        boolean nullable = rc.isAnnotationPresent(Nullable.class);
        if (nullable && rc.getType().isPrimitive()) {
            throw new IllegalStateException(rc.getDeclaringRecord().getSimpleName() + "." + rc.getName()
                    + " is @Nullable but primitive; use the boxed type");
        }
        return new Component(rc.getName(), rc.getGenericType(), nullable);
    }

    /** Appends one {@code path: problem} entry to {@code problems} per mismatch between {@code node} and the record. */
    static void validateRecord(JsonNode node, Class<?> recordClass, String path, List<String> problems) {
        if (!node.isObject()) {
            problems.add(path + ": expected object, got " + describe(node));
            return;
        }
        for (Component component : COMPONENTS.get(recordClass)) {
            String childPath = path.isEmpty() ? component.name() : path + "." + component.name();
            JsonNode child = node.get(component.name());
            if (child == null || child.isMissingNode()) {
                if (!component.nullable()) {
                    problems.add(childPath + ": required field is missing");
                }
            } else if (child.isNull()) {
                if (!component.nullable()) {
                    problems.add(childPath + ": required field must not be null");
                }
            } else {
                validateValue(child, component.type(), childPath, problems);
            }
        }
    }

    private static void validateValue(JsonNode node, Type type, String path, List<String> problems) {
        switch (type) {
            case Class<?> cls -> validateClass(node, cls, path, problems);
            case ParameterizedType generic
            when generic.getRawType() == List.class -> {
                if (!node.isArray()) {
                    problems.add(path + ": expected array, got " + describe(node));
                    return;
                }
                Type elementType = generic.getActualTypeArguments()[0];
                for (int i = 0; i < node.size(); i++) {
                    JsonNode element = node.get(i);
                    if (element.isNull()) {
                        problems.add(path + "[" + i + "]: element must not be null");
                    } else {
                        validateValue(element, elementType, path + "[" + i + "]", problems);
                    }
                }
            }
            case ParameterizedType generic
            when generic.getRawType() == Map.class -> {
                if (!node.isObject()) {
                    problems.add(path + ": expected object, got " + describe(node));
                    return;
                }
                Type valueType = generic.getActualTypeArguments()[1];
                if (valueType != Object.class) {
                    node.properties()
                            .forEach(entry ->
                                    validateValue(entry.getValue(), valueType, path + "." + entry.getKey(), problems));
                }
            }
            case TypeVariable<?> ignored -> {
                // the CloudEvent's data: checked separately against the payload class its type names
            }
            default -> throw new IllegalStateException("unsupported contract type " + type + " at " + path);
        }
    }

    private static void validateClass(JsonNode node, Class<?> cls, String path, List<String> problems) {
        String expected = null;
        if (cls == String.class) {
            expected = node.isString() ? null : "string";
        } else if (cls == int.class || cls == Integer.class) {
            expected = node.isIntegralNumber() && node.canConvertToInt() ? null : "integer";
        } else if (cls == long.class || cls == Long.class) {
            expected = node.isIntegralNumber() && node.canConvertToLong() ? null : "integer";
        } else if (cls == double.class || cls == Double.class) {
            expected = node.isNumber() && Double.isFinite(node.doubleValue()) ? null : "number";
        } else if (cls == boolean.class || cls == Boolean.class) {
            expected = node.isBoolean() ? null : "boolean";
        } else if (cls == Instant.class) {
            expected = node.isString() && parseTimestamp(node.stringValue()) != null ? null : "RFC 3339 timestamp";
        } else if (cls.isEnum()) {
            expected = node.isString() && enumConstant(cls, node.stringValue())
                    ? null
                    : "one of " + Arrays.toString(cls.getEnumConstants());
        } else if (cls.isRecord()) {
            validateRecord(node, cls, path, problems);
        } else if (cls != Object.class) {
            throw new IllegalStateException("unsupported contract type " + cls.getName() + " at " + path);
        }
        if (expected != null) {
            problems.add(path + ": expected " + expected + ", got " + describe(node));
        }
    }

    /** Enum constants are written as their names and read ignoring case. */
    private static boolean enumConstant(Class<?> enumClass, String text) {
        return Arrays.stream(enumClass.getEnumConstants())
                .anyMatch(c -> ((Enum<?>) c).name().equalsIgnoreCase(text));
    }

    /** The instant an RFC 3339 date-time denotes (any offset), or null when {@code text} is not one. */
    static Instant parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A JSON value as an error message quotes it: scalars as written (strings shortened), containers by kind. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            return String.valueOf(node.doubleValue());
        }
        if (node.isString() && node.stringValue().length() > MAX_QUOTED_LENGTH) {
            return "\"" + node.stringValue().substring(0, MAX_QUOTED_LENGTH) + "…\"";
        }
        return node.toString();
    }
}
