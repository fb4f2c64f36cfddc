package ai.sovereign.router.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Reads typed fields out of a JSON tree, collecting every problem with the field's full path so that one answer
 * names all of them ("queue.maxSize must be ≥ 1 (got -5)"). Absent fields take the caller's fallback.
 */
public final class DocumentReader {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Throws {@link InvalidConfigException} with every problem found so far, if any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    public void problem(String field, String message) {
        problems.add(new ConfigProblem(field, message));
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** True when {@code node} is an object; records a problem otherwise. */
    public boolean requireObject(JsonNode node, String path) {
        if (node != null && node.isObject()) {
            return true;
        }
        problem(path, (path.isEmpty() ? "the document" : path) + " must be a JSON object (got " + describe(node) + ")");
        return false;
    }

    /** Records a problem for every field of {@code object} not in {@code known}. */
    public void rejectUnknown(JsonNode object, String path, Collection<String> known) {
        for (String name : object.propertyNames()) {
            if (!known.contains(name)) {
                String field = join(path, name);
                problem(
                        field,
                        field + " is not a setting; " + (path.isEmpty() ? "the document" : path) + " has "
                                + String.join(", ", known));
            }
        }
    }

    public int integer(JsonNode object, String path, String name, int fallback, int min, int max) {
        return (int) longValue(object, path, name, fallback, min, max);
    }

    public long longValue(JsonNode object, String path, String name, long fallback, long min, long max) {
        JsonNode node = object.get(name);
        String field = join(path, name);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            problem(field, field + " must be an integer (got " + describe(node) + ")");
            return fallback;
        }
        long value = node.longValue();
        checkRange(field, value, min, max, Long.toString(value));
        return value;
    }

    public double ratio(JsonNode object, String path, String name, double fallback, boolean zeroAllowed) {
        JsonNode node = object.get(name);
        String field = join(path, name);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            problem(field, field + " must be a number (got " + describe(node) + ")");
            return fallback;
        }
        double value = node.doubleValue();
        if (!(value <= 1) || value < 0 || (!zeroAllowed && value == 0)) {
            problem(
                    field,
                    field + " must be " + (zeroAllowed ? "between 0 and 1" : "greater than 0 and at most 1") + " (got "
                            + node + ")");
        }
        return value;
    }

    /** A number between {@code min} and {@code max} (both allowed). */
    public double number(JsonNode object, String path, String name, double fallback, double min, double max) {
        JsonNode node = object.get(name);
        String field = join(path, name);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            problem(field, field + " must be a number (got " + describe(node) + ")");
            return fallback;
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            problem(field, field + " must be between " + plain(min) + " and " + plain(max) + " (got " + node + ")");
        }
        return value;
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    public boolean bool(JsonNode object, String path, String name, boolean fallback) {
        JsonNode node = object.get(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            String field = join(path, name);
            problem(field, field + " must be true or false (got " + describe(node) + ")");
            return fallback;
        }
        return node.booleanValue();
    }

    /** A string field; {@code null} (and a problem) when it is required and absent. */
    public String string(JsonNode object, String path, String name, String fallback, boolean required) {
        JsonNode node = object.get(name);
        String field = join(path, name);
        if (node == null || node.isNull()) {
            if (required) {
                problem(field, field + " is required");
            }
            return fallback;
        }
        if (!node.isString()) {
            problem(field, field + " must be a string (got " + describe(node) + ")");
            return fallback;
        }
        return node.stringValue();
    }

    /** Reads each element of an array field with {@code element} (given the element and its path). */
    public <T> List<T> list(
            JsonNode object,
            String path,
            String name,
            List<T> fallback,
            java.util.function.BiFunction<JsonNode, String, T> element) {
        JsonNode node = object.get(name);
        String field = join(path, name);
        if (node == null) {
            return fallback;
        }
        if (!node.isArray()) {
            problem(field, field + " must be a list (got " + describe(node) + ")");
            return fallback;
        }
        List<T> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            T value = element.apply(node.get(i), field + "[" + i + "]");
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    /** Reads a nested object with {@code section}, or returns {@code fallback} when it is absent. */
    public <T> T section(JsonNode object, String path, String name, T fallback, Function<JsonNode, T> section) {
        JsonNode node = object.get(name);
        if (node == null) {
            return fallback;
        }
        return requireObject(node, join(path, name)) ? section.apply(node) : fallback;
    }

    private void checkRange(String field, long value, long min, long max, String shown) {
        if (value < min) {
            problem(field, field + " must be ≥ " + min + " (got " + shown + ")");
        } else if (value > max) {
            problem(field, field + " must be ≤ " + max + " (got " + shown + ")");
        }
    }

    public static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** How a value is shown in a message: the JSON text, shortened. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
