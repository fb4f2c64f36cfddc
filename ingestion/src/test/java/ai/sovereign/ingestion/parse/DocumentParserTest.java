package ai.sovereign.ingestion.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Plain text takes a direct UTF-8 path; anything that is not clean UTF-8 still goes through Tika. */
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
        assertThatThrownBy(() -> parser.parse(big, "big.txt")).isInstanceOf(PoisonInputException.class)
                .satisfies(e -> assertThat(((PoisonInputException) e).reasonCode()).isEqualTo("too_large"));
    }
}
