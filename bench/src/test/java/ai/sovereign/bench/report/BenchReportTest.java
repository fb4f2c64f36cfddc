package ai.sovereign.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.bench.load.LatencySummary;
import ai.sovereign.bench.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void writesJsonAndMarkdownWithTheCommandAndEveryRun() throws Exception {
        BenchReport report = new BenchReport("router-vs-round-robin", "java -jar bench.jar router --seconds 30")
                .add(new LoadResult("router", 1000, 0, 10.0, new LatencySummary(1000, 12.5, 10.0, 20.0, 30.0, 40.0)))
                .add(new LoadResult(
                        "round \"robin\"", 1000, 200, 10.0, new LatencySummary(1000, 30.0, 25.0, 60.0, 90.0, 120.0)))
                .note("skewed fleet: one server 4x slower");
        Path markdown = report.write(dir);
        String md = Files.readString(markdown);
        String json = Files.readString(dir.resolve("router-vs-round-robin.json"));
        assertTrue(md.contains("Command: `java -jar bench.jar router --seconds 30`"));
        assertTrue(md.contains("| router | 1000 | 0 | 100.0 | 12.500 | 10.000 | 20.000 | 30.000 | 40.000 |"), md);
        assertTrue(md.contains("- skewed fleet: one server 4x slower"));
        assertTrue(json.contains("\"name\": \"round \\\"robin\\\"\", \"requests\": 1000, \"failures\": 200"), json);
        assertTrue(json.contains("\"p95\": 60.000"), json);
        assertEquals(
                json.chars().filter(c -> c == '{').count(),
                json.chars().filter(c -> c == '}').count());
    }

    @Test
    void reportNameThatCouldEscapeTheDirectoryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BenchReport("../evil", "x"));
    }
}
