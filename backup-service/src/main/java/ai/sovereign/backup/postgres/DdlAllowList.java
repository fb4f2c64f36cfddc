package ai.sovereign.backup.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a restore accepts from a backup's DDL: each statement is exactly one statement (no {@code ;} outside quotes,
 * comments and dollar-quoted bodies, but a trailing one), of a kind the backup itself writes for its part of the
 * restore ({@link CatalogReader}): enum types, sequences, tables and their partitions, {@code plpgsql}/{@code sql}
 * routines before the data; constraints, indexes, triggers, views and sequence ownership after it; privileges on the
 * schema's own objects last. Anything else ({@code COPY ... TO PROGRAM}, {@code DO}, {@code CREATE EXTENSION},
 * {@code ALTER ROLE}, a role grant, {@code CREATE TABLE ... AS SELECT}, a routine in another language, a second
 * statement smuggled after a first) refuses the whole restore before any statement runs.
 */
final class DdlAllowList {

    private DdlAllowList() {}

    private static final String ID = "(?:\"(?:[^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)";

    private static final List<Pattern> PRE_DATA = List.of(
            Pattern.compile("^CREATE TYPE " + ID + " AS ENUM \\(", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE SEQUENCE " + ID + " AS ", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE TABLE " + ID + " (\\(|PARTITION OF )", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE OR REPLACE (FUNCTION|PROCEDURE) ", Pattern.CASE_INSENSITIVE));

    private static final List<Pattern> POST_DATA = List.of(
            Pattern.compile("^ALTER SEQUENCE " + ID + " OWNED BY ", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^ALTER TABLE (ONLY )?" + ID + " ADD CONSTRAINT ", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE (UNIQUE )?INDEX ", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE (CONSTRAINT )?TRIGGER ", Pattern.CASE_INSENSITIVE),
            Pattern.compile("^CREATE VIEW " + ID + " AS ", Pattern.CASE_INSENSITIVE));

    private static final List<Pattern> GRANTS = List.of(
            Pattern.compile(
                    "^GRANT [A-Z ,]+ ON (SCHEMA|TABLE|SEQUENCE|ROUTINE) " + ID + "(\\([^)]*\\))? TO (PUBLIC|" + ID
                            + ")$",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("^REVOKE ALL ON ROUTINE " + ID + "\\([^)]*\\) FROM PUBLIC$", Pattern.CASE_INSENSITIVE));

    private static final Pattern LANGUAGE = Pattern.compile("\\bLANGUAGE\\s+(\\w+)", Pattern.CASE_INSENSITIVE);

    /** Every statement of {@code schema} that is not allowed, with why; empty when all are. */
    static List<String> problems(SchemaDdl schema) {
        List<String> problems = new ArrayList<>();
        check(schema, "pre_data", schema.preData(), PRE_DATA, problems);
        check(schema, "post_data", schema.postData(), POST_DATA, problems);
        check(schema, "grants", schema.grants(), GRANTS, problems);
        return problems;
    }

    private static void check(
            SchemaDdl schema, String section, List<String> statements, List<Pattern> kinds, List<String> problems) {
        if (statements == null) {
            return;
        }
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            String problem = problem(statement, kinds);
            if (problem != null) {
                problems.add(schema.schema() + " " + section + "[" + i + "]: " + problem + " ("
                        + (statement.length() > 120 ? statement.substring(0, 120) + "…" : statement) + ")");
            }
        }
    }

    private static String problem(String statement, List<Pattern> kinds) {
        if (statement == null || statement.isBlank()) {
            return "empty statement";
        }
        String text = statement.strip();
        String outside;
        try {
            outside = outsideQuotes(text);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        int semicolon = outside.indexOf(';');
        if (semicolon >= 0 && !outside.substring(semicolon + 1).isBlank()) {
            return "more than one statement";
        }
        if (kinds.stream().noneMatch(k -> k.matcher(text).find())) {
            return "not a statement kind a backup writes here";
        }
        String upper = outside.toUpperCase(Locale.ROOT);
        if (upper.startsWith("CREATE TABLE ")
                && topLevel(outside).toUpperCase(Locale.ROOT).matches("(?s).*\\bAS\\b.*")) {
            return "CREATE TABLE ... AS runs a query";
        }
        if (upper.startsWith("CREATE OR REPLACE ")) {
            Matcher language = LANGUAGE.matcher(outside);
            if (!language.find()) {
                return "a routine without a LANGUAGE clause";
            }
            String name = language.group(1).toLowerCase(Locale.ROOT);
            if (!name.equals("plpgsql") && !name.equals("sql")) {
                return "a routine in LANGUAGE " + name + " (only plpgsql and sql are restored)";
            }
        }
        return null;
    }

    /**
     * The statement with string literals, quoted identifiers, comments and dollar-quoted bodies blanked out, so what
     * is left is what the parser reads as keywords and punctuation.
     */
    static String outsideQuotes(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = i + 1;
                while (true) {
                    end = sql.indexOf(c, end);
                    if (end < 0) {
                        throw new IllegalArgumentException("an unterminated quote");
                    }
                    if (end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                        end += 2;
                        continue;
                    }
                    break;
                }
                out.append(c).append(c);
                i = end + 1;
            } else if (c == '-' && sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("an unterminated comment");
                }
                out.append(' ');
                i = end + 2;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                if (end < 0) {
                    throw new IllegalArgumentException("an unterminated " + tag + " body");
                }
                out.append("$$");
                i = end + tag.length();
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code $tag$} starting at {@code i}, or {@code null} when the {@code $} there starts none (e.g. {@code $1}). */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    /** The parts of {@code outside} not inside parentheses. */
    private static String topLevel(String outside) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (char c : outside.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
