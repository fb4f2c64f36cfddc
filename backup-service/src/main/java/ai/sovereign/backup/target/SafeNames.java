package ai.sovereign.backup.target;

import ai.sovereign.runtime.errors.ApiException;
import java.util.regex.Pattern;

/**
 * The only shapes a request may give for things that become paths: run ids, file names and a relative folder under
 * the backup root. No {@code ..}, no absolute paths, no backslashes, no empty segments; anything else is a 400
 * naming the field.
 */
public final class SafeNames {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern RUN_ID = Pattern.compile("b-[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4,12}");

    private SafeNames() {}

    public static boolean isRunId(String id) {
        return id != null && RUN_ID.matcher(id).matches();
    }

    public static String runId(String id, String field) {
        if (!isRunId(id)) {
            throw ApiException.badRequest(
                    field + " must be a backup id like b-20260101T030000Z-1a2b (got '" + abbreviate(id) + "')", field);
        }
        return id;
    }

    /** A relative folder of one or more safe segments, or empty for the root. */
    public static String folder(String value, String field) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (value.startsWith("/") || value.contains("\\") || value.contains(":")) {
            throw ApiException.badRequest(
                    field + " must be a relative folder under the backup root (got '" + abbreviate(value) + "')",
                    field);
        }
        for (String segment : value.split("/", -1)) {
            if (segment.equals("..")
                    || segment.equals(".")
                    || !SEGMENT.matcher(segment).matches()) {
                throw ApiException.badRequest(
                        field
                                + " must be a relative folder under the backup root: segments of letters, digits, '.', '_', '-', no '..' (got '"
                                + abbreviate(value) + "')",
                        field);
            }
        }
        return value;
    }

    public static String file(String name) {
        if (name == null || !SEGMENT.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("unsafe file name '" + abbreviate(name) + "'");
        }
        return name;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 80 ? value.substring(0, 80) + "…" : value;
    }
}
