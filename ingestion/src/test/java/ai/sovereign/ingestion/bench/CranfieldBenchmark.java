package ai.sovereign.ingestion.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import ai.sovereign.ingestion.embed.onnx.MiniLmEmbedder;
import ai.sovereign.ingestion.support.IngestionClient;
import ai.sovereign.ingestion.support.IngestionClient.Part;
import ai.sovereign.ingestion.support.IngestionTestProperties;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenCodec;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retrieval quality and pipeline throughput on a BEIR data set through the real service (HTTP upload, Kafka jobs,
 * Postgres, Neo4j, embedded vector store). Not part of {@code verify} (the name does not end in Test); run with
 * {@code ./mvnw -pl ingestion test -Dtest=CranfieldBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbeir.dir=../shared/data/cranfield}; the figures are printed and written to {@code target/cranfield-benchmark.md}.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CranfieldBenchmark implements TestPropertyProvider {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Inject
    EmbeddedServer server;
    @Inject
    ServiceTokenCodec tokens;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> props = new HashMap<>(IngestionTestProperties.fresh());
        props.put("ingestion.worker.concurrency", System.getProperty("bench.concurrency", "4"));
        return props;
    }

    @Test
    void measure() throws IOException {
        Path dir = Path.of(System.getProperty("beir.dir", "../../shared/data/cranfield"));
        List<String> heldoutQueries = Files.exists(dir.resolveSibling("cranfield-heldout"))
                ? List.of(dir.resolveSibling("cranfield-heldout").toString()) : List.of();
        Map<String, String> docs = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("corpus.jsonl"))) {
            JsonNode doc = JSON.readTree(line);
            String text = (doc.path("title").asString() + "\n\n" + doc.path("text").asString()).strip();
            if (!text.isBlank()) {
                docs.put(doc.path("_id").asString(), text);
            }
        }
        IngestionClient client = new IngestionClient(server.getURI(),
                tokens.issue("bench", "bench-" + UUID.randomUUID(), Role.USER, Duration.ofHours(2), "bench"));
        StringBuilder report = new StringBuilder("# Cranfield benchmark\n\n");

        // raw model on the same texts, same JVM, batches of 32
        MiniLmEmbedder raw = new MiniLmEmbedder();
        List<String> texts = new ArrayList<>(docs.values());
        raw.embed(texts.subList(0, 32));
        long t0 = System.nanoTime();
        for (int i = 0; i < texts.size(); i += 32) {
            raw.embed(texts.subList(i, Math.min(texts.size(), i + 32)));
        }
        double rawPerMin = texts.size() / ((System.nanoTime() - t0) / 1e9) * 60;

        // the whole pipeline: upload in requests of 50 files, until every source is ready
        long t1 = System.nanoTime();
        Map<String, String> docBySource = new HashMap<>();
        List<Map.Entry<String, String>> entries = new ArrayList<>(docs.entrySet());
        for (int i = 0; i < entries.size(); i += 50) {
            List<Part> parts = entries.subList(i, Math.min(entries.size(), i + 50)).stream()
                    .map(e -> new Part(e.getKey() + ".txt", "text/plain", e.getValue().getBytes(StandardCharsets.UTF_8))).toList();
            IngestionClient.Response response = client.upload(parts.toArray(Part[]::new));
            response.json().path("sources").valueStream().forEach(s ->
                    docBySource.putIfAbsent(s.path("id").asString(), s.path("name").asString().replace(".txt", "")));
        }
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> client
                .get("/api/v1/sources?size=1").json().path("total").asLong() >= docBySource.size()
                && allReady(client, docBySource.size()));
        double pipelinePerMin = docBySource.size() / ((System.nanoTime() - t1) / 1e9) * 60;
        report.append(String.format("Throughput: pipeline %.0f docs/min (%d docs, upload to ready) vs raw model %.0f texts/min"
                + " on the same texts = %.0f%%%n%n", pipelinePerMin, docBySource.size(), rawPerMin, 100 * pipelinePerMin / rawPerMin));

        report.append("| queries | mode | nDCG@10 | recall@10 |\n| --- | --- | --- | --- |\n");
        List<Path> sets = new ArrayList<>(List.of(dir));
        heldoutQueries.forEach(h -> sets.add(Path.of(h)));
        for (Path set : sets) {
            Map<String, String> queries = new java.util.LinkedHashMap<>();
            for (String line : Files.readAllLines(set.resolve("queries.jsonl"))) {
                JsonNode q = JSON.readTree(line);
                queries.put(q.path("_id").asString(), q.path("text").asString());
            }
            Map<String, Map<String, Integer>> qrels = new HashMap<>();
            for (String line : Files.readAllLines(set.resolve("qrels/test.tsv")).subList(1, Files.readAllLines(set.resolve("qrels/test.tsv")).size())) {
                String[] f = line.split("\t");
                if (Integer.parseInt(f[2]) > 0) {
                    qrels.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Integer.parseInt(f[2]));
                }
            }
            for (String mode : List.of("vector", "keyword", "hybrid")) {
                double ndcg = 0;
                double recall = 0;
                int n = 0;
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    Map<String, Integer> rel = qrels.get(q.getKey());
                    if (rel == null || rel.isEmpty()) {
                        continue;
                    }
                    List<String> ranked = new ArrayList<>(new LinkedHashSet<>(client.searchSourceIds(q.getValue(), mode, 30).stream()
                            .map(docBySource::get).toList()));
                    List<String> top = ranked.subList(0, Math.min(10, ranked.size()));
                    double dcg = 0;
                    for (int i = 0; i < top.size(); i++) {
                        dcg += (Math.pow(2, rel.getOrDefault(top.get(i), 0)) - 1) / (Math.log(i + 2) / Math.log(2));
                    }
                    List<Integer> ideal = rel.values().stream().sorted((a, b) -> b - a).limit(10).toList();
                    double idcg = 0;
                    for (int i = 0; i < ideal.size(); i++) {
                        idcg += (Math.pow(2, ideal.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
                    }
                    Set<String> found = new java.util.HashSet<>(top);
                    found.retainAll(rel.keySet());
                    ndcg += dcg / idcg;
                    recall += (double) found.size() / rel.size();
                    n++;
                }
                report.append(String.format("| %s (%d) | %s | %.3f | %.3f |%n", set.getFileName(), n, mode, ndcg / n, recall / n));
            }
        }
        System.out.println(report);
        Files.writeString(Path.of("target/cranfield-benchmark.md"), report.toString());
    }

    private static boolean allReady(IngestionClient client, int expected) {
        int ready = 0;
        for (int page = 0; page * 200 < expected; page++) {
            for (JsonNode s : client.get("/api/v1/sources?size=200&page=" + page).json().path("data")) {
                String status = s.path("status").asString();
                if (status.equals("ready") || status.equals("failed")) {
                    ready++;
                }
            }
        }
        return ready >= expected;
    }
}
