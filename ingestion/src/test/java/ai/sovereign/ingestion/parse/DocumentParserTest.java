package ai.sovereign.ingestion.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.sovereign.ingestion.support.Fixtures;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.junit.jupiter.api.Test;

/**
 * Text named as text ({@code .txt}, {@code .md}) that is clean UTF-8 takes a direct path without Tika's detection;
 * anything else, and text that may be markup or another format, still goes through Tika.
 */
class DocumentParserTest {

    private final DocumentParser parser = new DocumentParser(new ParsingSettings(1_000));

    @Test
    void utf8PlainTextComesBackNormalisedWithoutItsByteOrderMark() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "Café  au lait\r\n\r\n\r\nNaïve résumé — 12 km/h.\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(body, 0, bytes, bom.length, body.length);
        ParsedDocument parsed = parser.parse(bytes, "notes.txt");
        assertThat(parsed.text()).isEqualTo("Café au lait\n\nNaïve résumé — 12 km/h.");
        assertThat(parsed.detectedType()).isEqualTo("text/plain");
    }

    @Test
    void latin1TextIsNotValidUtf8AndIsDecodedByTika() {
        byte[] latin1 = "Le café de la gare est fermé le dimanche, même en été.".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(parser.parse(latin1, "gare.txt").text()).contains("café").contains("été");
    }

    @Test
    void plainTextOverTheCharacterLimitIsTooLarge() {
        byte[] big = "word ".repeat(400).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(big, "big.txt"))
                .isInstanceOf(PoisonInputException.class)
                .satisfies(
                        e -> assertThat(((PoisonInputException) e).reasonCode()).isEqualTo("too_large"));
    }

    @Test
    void markdownTakesTheDirectPathAndGivesWhatTikasParseGives() throws Exception {
        String markdown = "# Volcanoes\n\nMagma rises through the *crust*; an eruption throws ash 10 km high.\n\n"
                + "- lava\n- ash\n\n```\ncode block\n```\n";
        byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
        ParsedDocument parsed = parser.parse(bytes, "volcanoes.md");
        assertThat(parsed.detectedType()).isEqualTo("text/markdown");
        assertThat(parsed.text()).isEqualTo(TextNormaliser.normalise(tika(bytes, "volcanoes.md")));
        assertThat(parser.parse("plain words".getBytes(StandardCharsets.UTF_8), "a.TXT")
                        .detectedType())
                .isEqualTo("text/plain");
        DocumentParser alwaysTika = new DocumentParser(new ParsingSettings(1_000, false));
        assertThat(alwaysTika.parse(bytes, "volcanoes.md").text()).isEqualTo(parsed.text());
        assertThat(alwaysTika.parse(bytes, "volcanoes.md").detectedType()).isNotEqualTo("text/markdown");
    }

    @Test
    void htmlNamedAsTextIsStillDetectedAndParsedAsHtml() {
        byte[] html =
                "<!DOCTYPE html><html><head><title>Jazz</title></head><body><p>Miles Davis played trumpet.</p></body></html>"
                        .getBytes(StandardCharsets.UTF_8);
        ParsedDocument parsed = parser.parse(html, "jazz.txt");
        assertThat(parsed.detectedType()).isEqualTo("text/html");
        assertThat(parsed.text()).contains("Miles Davis played trumpet.").doesNotContain("<p>");
        assertThat(DocumentParser.mayBeAnotherFormat("Some prose first, then <b>bold</b> markup."))
                .isTrue();
        assertThat(DocumentParser.mayBeAnotherFormat("x < 3 and y <= 4, <- arrows"))
                .isFalse();
    }

    @Test
    void aPdfNamedAsTextIsStillDetectedAsPdf() {
        byte[] pdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parser.parse(pdf, "report.txt"))
                .isInstanceOf(PoisonInputException.class)
                .hasMessageContaining("application/pdf");
    }

    @Test
    void binaryGarbageNamedAsTextFailsAsBinary() {
        DocumentParser roomy = new DocumentParser(new ParsingSettings(1_000_000));
        assertThatThrownBy(() -> roomy.parse(Fixtures.garbage(20_000), "garbage.txt"))
                .isInstanceOf(PoisonInputException.class)
                .satisfies(
                        e -> assertThat(((PoisonInputException) e).reasonCode()).isEqualTo("binary"));
        byte[] privateUse = "\uE000\uE001\uE002\uE003 abc".repeat(20).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(privateUse, "glyphs.md"))
                .isInstanceOf(PoisonInputException.class)
                .satisfies(
                        e -> assertThat(((PoisonInputException) e).reasonCode()).isEqualTo("binary"));
    }

    private static String tika(byte[] bytes, String name) throws Exception {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
        BodyContentHandler handler = new BodyContentHandler(-1);
        new AutoDetectParser().parse(new ByteArrayInputStream(bytes), handler, metadata, new ParseContext());
        return handler.toString();
    }
}
