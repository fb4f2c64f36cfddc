package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** The file fields of an ingestion job are required for INGEST and not for DELETE. */
class IngestionJobRulesTest {

    private final EventCodec codec = new EventCodec();

    private static IngestionJob ingest(String fileName, String contentType, String hash, Long size, String path) {
        return new IngestionJob(
                "job_1",
                "src_1",
                "acme",
                IngestionJob.Action.INGEST,
                fileName,
                contentType,
                hash,
                size,
                path,
                "ak_1",
                Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void deleteJobNeedsNoFileFieldsAndSurvivesRoundTrip() {
        IngestionJob delete = new IngestionJob(
                "job_2",
                "src_3f9a2c",
                "acme",
                IngestionJob.Action.DELETE,
                null,
                null,
                null,
                null,
                null,
                "operator:alice",
                Instant.parse("2026-03-01T11:00:00Z"));
        CloudEvent<IngestionJob> event = CloudEvent.of("/ingestion", "src_3f9a2c", delete);
        assertEquals(event, codec.decode(codec.encode(event), IngestionJob.class));
    }

    @ParameterizedTest(name = "INGEST without {0} is rejected on decode")
    @ValueSource(strings = {"fileName", "contentType", "contentHash", "sizeBytes", "storagePath"})
    void ingestJobWithoutAFileFieldIsRejectedOnDecodeNamingTheField(String field) {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.INGESTION.event()));
        JsonTree.remove(json, "data." + field);
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals(List.of("data." + field + ": required when action is INGEST"), e.problems());
    }

    @Test
    void ingestJobWithoutAStoragePathCannotBeConstructed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ingest("a.pdf", "application/pdf", "0".repeat(64), 10L, null));
        assertEquals("storagePath: required when action is INGEST", e.getMessage());
    }

    @ParameterizedTest(name = "content hash \"{0}\" is rejected")
    @ValueSource(strings = {"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", "9f86d081", "md5:abc"})
    void contentHashMustBeLowercaseSha256Hex(String hash) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ingest("a.pdf", "application/pdf", hash, 10L, "/staging/a"));
        assertEquals(
                "contentHash: expected 64 lowercase hex characters (SHA-256), got \"" + hash + "\"", e.getMessage());
    }

    @Test
    void badContentHashOnTheWireIsRejectedNamingTheField() {
        ObjectNode json = JsonTree.parse(codec.encode(Sample.INGESTION.event()));
        JsonTree.set(json, "data.contentHash", JsonTree.value("\"abc\""));
        EventFormatException e = assertThrows(EventFormatException.class, () -> codec.decode(JsonTree.bytes(json)));
        assertEquals("data.contentHash: expected 64 lowercase hex characters (SHA-256), got \"abc\"", e.getMessage());
    }

    @Test
    void negativeSizeIsRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ingest("a.pdf", "application/pdf", "0".repeat(64), -1L, "/staging/a"));
        assertEquals("sizeBytes: must be >= 0, got -1", e.getMessage());
    }
}
