package ai.sovereign.backup.graph;

import ai.sovereign.backup.artifact.ArtifactReader;
import ai.sovereign.backup.artifact.ArtifactWriter;
import ai.sovereign.backup.artifact.ComponentManifest;
import ai.sovereign.backup.artifact.MultisetHash;
import ai.sovereign.backup.run.BackupComponent;
import ai.sovereign.backup.run.ContentSummary;
import ai.sovereign.backup.run.RestoreOutcome;
import ai.sovereign.backup.run.RestoreScope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Result;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Transaction;
import tools.jackson.databind.json.JsonMapper;

/**
 * All nodes and relationships of the Neo4j database with labels and properties, streamed in batches from one read
 * transaction into two NDJSON files. Restore creates nodes in batches, remembering old id → new id, then the
 * relationships between the new nodes. A scratch restore prefixes every label and relationship type with
 * {@code __scratch_<token>_} and adds the marker label {@code __scratch_<token>}, so nothing the services query sees
 * it. Content hashes ignore ids: a node is its labels and properties, a relationship its type, properties and end
 * nodes' content.
 */
public final class GraphComponent implements BackupComponent {

    public static final String NAME = "neo4j";
    static final String NODES = "neo4j-nodes.ndjson";
    static final String RELATIONSHIPS = "neo4j-relationships.ndjson";
    private static final String SCRATCH = "__scratch_";
    private static final String LIVE_NODE = "NOT any(l IN labels(%s) WHERE l STARTS WITH '" + SCRATCH + "')";

    private final Driver driver;
    private final JsonMapper json;
    private final int batchSize;

    public GraphComponent(Driver driver, JsonMapper json, int batchSize) {
        this.driver = driver;
        this.json = json;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ComponentManifest backup(ArtifactWriter writer) throws Exception {
        try (Session session = driver.session(SessionConfig.builder()
                        .withDefaultAccessMode(AccessMode.READ)
                        .withFetchSize(batchSize)
                        .build());
                Transaction tx = session.beginTransaction()) {
            String version = serverVersion(tx);
            Hashing hashing = new Hashing();
            try (OutputStream out = writer.create(NAME, NODES)) {
                Result nodes = tx.run("MATCH (n) WHERE " + LIVE_NODE.formatted("n")
                        + " RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props");
                while (nodes.hasNext()) {
                    Record r = nodes.next();
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("id", r.get("id").asString());
                    line.put(
                            "labels",
                            r.get("labels").asList(v -> v.asString()).stream()
                                    .sorted()
                                    .toList());
                    line.put(
                            "props", GraphValues.encodeProperties(r.get("props").asMap()));
                    hashing.node(line);
                    out.write(json.writeValueAsBytes(line));
                    out.write('\n');
                }
            }
            try (OutputStream out = writer.create(NAME, RELATIONSHIPS)) {
                Result rels = tx.run(
                        "MATCH (a)-[r]->(b) WHERE " + LIVE_NODE.formatted("a") + " AND " + LIVE_NODE.formatted("b")
                                + " RETURN elementId(r) AS id, type(r) AS type, elementId(a) AS s, elementId(b) AS e, properties(r) AS props");
                while (rels.hasNext()) {
                    Record r = rels.next();
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("id", r.get("id").asString());
                    line.put("type", r.get("type").asString());
                    line.put("s", r.get("s").asString());
                    line.put("e", r.get("e").asString());
                    line.put(
                            "props", GraphValues.encodeProperties(r.get("props").asMap()));
                    hashing.relationship(line);
                    out.write(json.writeValueAsBytes(line));
                    out.write('\n');
                }
            }
            ContentSummary content = hashing.summary();
            return new ComponentManifest(
                    NAME,
                    List.of(NODES, RELATIONSHIPS),
                    content.counts(),
                    content.hashes(),
                    version,
                    Map.of("read", "one read transaction, streamed in batches of " + batchSize));
        }
    }

    @Override
    public RestoreOutcome restore(ArtifactReader reader, ComponentManifest manifest, RestoreScope scope)
            throws Exception {
        String token = scope instanceof RestoreScope.Scratch s ? s.token() : null;
        Function<String, String> rename = token == null ? Function.identity() : name -> SCRATCH + token + "_" + name;
        if (token == null) {
            deleteWhere("MATCH (n) WHERE " + LIVE_NODE.formatted("n"));
        } else {
            deleteWhere("MATCH (n:" + quote(SCRATCH + token) + ")");
        }
        Map<String, String> ids = new HashMap<>();
        try (Session session = driver.session()) {
            List<Map<String, Object>> batch = new ArrayList<>();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(reader.open(NODES), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    batch.add(readLine(line));
                    if (batch.size() == batchSize) {
                        createNodes(session, batch, rename, token, ids);
                        batch.clear();
                    }
                }
            }
            createNodes(session, batch, rename, token, ids);
            batch.clear();
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(reader.open(RELATIONSHIPS), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    batch.add(readLine(line));
                    if (batch.size() == batchSize) {
                        createRelationships(session, batch, rename, ids);
                        batch.clear();
                    }
                }
            }
            createRelationships(session, batch, rename, ids);
        }
        ContentSummary content = token == null ? liveContent() : scratchContent(token);
        boolean keep = !(scope instanceof RestoreScope.Scratch s) || s.keep();
        if (!keep) {
            deleteWhere("MATCH (n:" + quote(SCRATCH + token) + ")");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("nodes_mapped", ids.size());
        if (token != null) {
            details.put("label_prefix", SCRATCH + token + "_");
            details.put("kept", keep);
        }
        return new RestoreOutcome(content, details);
    }

    @Override
    public ContentSummary liveContent() {
        return content(
                "MATCH (n) WHERE " + LIVE_NODE.formatted("n"),
                "MATCH (a)-[r]->(b) WHERE " + LIVE_NODE.formatted("a") + " AND " + LIVE_NODE.formatted("b"),
                null);
    }

    private ContentSummary scratchContent(String token) {
        String marker = quote(SCRATCH + token);
        return content("MATCH (n:" + marker + ")", "MATCH (a:" + marker + ")-[r]->(b:" + marker + ")", SCRATCH + token);
    }

    private ContentSummary content(String matchNodes, String matchRelationships, String scratchPrefix) {
        Hashing hashing = new Hashing();
        try (Session session = driver.session(SessionConfig.builder()
                        .withDefaultAccessMode(AccessMode.READ)
                        .withFetchSize(batchSize)
                        .build());
                Transaction tx = session.beginTransaction()) {
            Result nodes =
                    tx.run(matchNodes + " RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props");
            while (nodes.hasNext()) {
                Record r = nodes.next();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", r.get("id").asString());
                line.put(
                        "labels",
                        r.get("labels").asList(v -> v.asString()).stream()
                                .filter(l -> scratchPrefix == null || !l.equals(scratchPrefix))
                                .map(l -> scratchPrefix == null ? l : l.substring(scratchPrefix.length() + 1))
                                .sorted()
                                .toList());
                line.put("props", GraphValues.encodeProperties(r.get("props").asMap()));
                hashing.node(line);
            }
            Result rels = tx.run(matchRelationships
                    + " RETURN type(r) AS type, elementId(a) AS s, elementId(b) AS e, properties(r) AS props");
            while (rels.hasNext()) {
                Record r = rels.next();
                Map<String, Object> line = new LinkedHashMap<>();
                String type = r.get("type").asString();
                line.put("type", scratchPrefix == null ? type : type.substring(scratchPrefix.length() + 1));
                line.put("s", r.get("s").asString());
                line.put("e", r.get("e").asString());
                line.put("props", GraphValues.encodeProperties(r.get("props").asMap()));
                hashing.relationship(line);
            }
        }
        return hashing.summary();
    }

    @SuppressWarnings("unchecked")
    private void createNodes(
            Session session,
            List<Map<String, Object>> batch,
            Function<String, String> rename,
            String token,
            Map<String, String> ids) {
        Map<List<String>, List<Map<String, Object>>> byLabels = batch.stream()
                .collect(Collectors.groupingBy(
                        n -> (List<String>) n.get("labels"), LinkedHashMap::new, Collectors.toList()));
        for (var group : byLabels.entrySet()) {
            List<String> labels =
                    new ArrayList<>(group.getKey().stream().map(rename).toList());
            if (token != null) {
                labels.add(SCRATCH + token);
            }
            String labelText = labels.stream().map(l -> ":" + quote(l)).collect(Collectors.joining());
            List<Map<String, Object>> rows = group.getValue().stream()
                    .map(n -> Map.of("id", n.get("id"), "props", GraphValues.decodeProperties((Map<String, Object>)
                            n.get("props"))))
                    .toList();
            session.executeWrite(tx -> {
                Result result = tx.run(
                        "UNWIND $rows AS row CREATE (n" + labelText
                                + ") SET n = row.props RETURN row.id AS old, elementId(n) AS new",
                        Map.of("rows", rows));
                result.forEachRemaining(
                        r -> ids.put(r.get("old").asString(), r.get("new").asString()));
                return null;
            });
        }
    }

    @SuppressWarnings("unchecked")
    private void createRelationships(
            Session session,
            List<Map<String, Object>> batch,
            Function<String, String> rename,
            Map<String, String> ids) {
        Map<String, List<Map<String, Object>>> byType = batch.stream()
                .collect(Collectors.groupingBy(r -> (String) r.get("type"), LinkedHashMap::new, Collectors.toList()));
        for (var group : byType.entrySet()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : group.getValue()) {
                String s = ids.get((String) r.get("s"));
                String e = ids.get((String) r.get("e"));
                if (s == null || e == null) {
                    throw new IllegalStateException(
                            "relationship " + r.get("id") + " refers to a node that is not in the backup");
                }
                rows.add(Map.of(
                        "s", s, "e", e, "props", GraphValues.decodeProperties((Map<String, Object>) r.get("props"))));
            }
            session.executeWrite(tx -> tx.run(
                            "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s MATCH (b) WHERE elementId(b) = row.e "
                                    + "CREATE (a)-[r:" + quote(rename.apply(group.getKey()))
                                    + "]->(b) SET r = row.props",
                            Map.of("rows", rows))
                    .consume());
        }
    }

    private void deleteWhere(String match) {
        try (Session session = driver.session()) {
            while (true) {
                long deleted = session.executeWrite(
                        tx -> tx.run(match + " WITH n LIMIT " + batchSize + " DETACH DELETE n RETURN count(*) AS c")
                                .single()
                                .get("c")
                                .asLong());
                if (deleted == 0) {
                    return;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readLine(String line) {
        return json.readValue(line, Map.class);
    }

    private static String serverVersion(Transaction tx) {
        Record r = tx.run(
                        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition "
                                + "ORDER BY CASE name WHEN 'Neo4j Kernel' THEN 0 ELSE 1 END LIMIT 1")
                .single();
        return r.get("name").asString() + " " + r.get("version").asString() + " "
                + r.get("edition").asString();
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Order-independent hashes of nodes and relationships, with relationships keyed by their end nodes' content. */
    private final class Hashing {
        private final MultisetHash nodes = new MultisetHash();
        private final MultisetHash relationships = new MultisetHash();
        private final Map<String, byte[]> nodeKeys = new HashMap<>();
        private final MessageDigest sha;

        Hashing() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void node(Map<String, Object> line) {
            Map<String, Object> content = new TreeMap<>();
            content.put("labels", line.get("labels"));
            content.put("props", line.get("props"));
            byte[] bytes = json.writeValueAsBytes(content);
            nodes.add(bytes);
            nodeKeys.put((String) line.get("id"), sha.digest(bytes));
        }

        void relationship(Map<String, Object> line) {
            byte[] s = nodeKeys.get((String) line.get("s"));
            byte[] e = nodeKeys.get((String) line.get("e"));
            Map<String, Object> content = new TreeMap<>();
            content.put("type", line.get("type"));
            content.put("props", line.get("props"));
            content.put("s", s == null ? "?" : java.util.HexFormat.of().formatHex(s));
            content.put("e", e == null ? "?" : java.util.HexFormat.of().formatHex(e));
            relationships.add(json.writeValueAsBytes(content));
        }

        ContentSummary summary() {
            return new ContentSummary(
                    Map.of("nodes", nodes.count(), "relationships", relationships.count()),
                    Map.of("nodes", nodes.hex(), "relationships", relationships.hex()));
        }
    }
}
