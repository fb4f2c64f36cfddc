package ai.sovereign.ingestion.parse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import jakarta.inject.Singleton;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.xml.sax.SAXException;

/**
 * Text out of plain text, Markdown, HTML, PDF and DOCX with Apache Tika. Everything else, and anything Tika cannot read,
 * is a {@link PoisonInputException} with a reason a person can act on.
 */
@Singleton
public class DocumentParser {

    /** Media types the pipeline accepts, as Tika detects them. */
    public static final Set<String> SUPPORTED = Set.of("text/plain", "text/markdown", "text/x-web-markdown", "text/html",
            "application/xhtml+xml", "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private static final double MAX_GARBAGE_RATIO = 0.05;

    private final AutoDetectParser parser = new AutoDetectParser();
    private final int maxCharacters;

    public DocumentParser(ParsingSettings settings) {
        this.maxCharacters = settings.maxCharacters();
    }

    public ParsedDocument parse(byte[] bytes, String fileName) {
        if (bytes.length == 0) {
            throw new PoisonInputException("empty", "the file is empty (0 bytes)");
        }
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        String detected;
        try (InputStream in = TikaInputStream.get(new ByteArrayInputStream(bytes))) {
            detected = parser.getDetector().detect(in, metadata).getBaseType().toString();
        } catch (IOException e) {
            throw new PoisonInputException("corrupt", "could not read the file: " + e.getMessage(), e);
        }
        if (!SUPPORTED.contains(detected)) {
            throw new PoisonInputException("unsupported", "unsupported content: detected " + detected
                    + "; supported are plain text, Markdown, HTML, PDF and DOCX");
        }
        if (detected.equals("text/plain")) {
            String direct = strictUtf8(bytes);
            if (direct != null) {
                // plain UTF-8 text: what Tika's text parser would hand back, without its charset detection and SAX events
                if (direct.length() > maxCharacters) {
                    throw new PoisonInputException("too_large", "the document unpacks to more than " + maxCharacters
                            + " characters (ingestion.parsing.max-characters); split it or raise the limit");
                }
                return checked(direct, detected);
            }
        }
        BodyContentHandler handler = new BodyContentHandler(maxCharacters);
        try (InputStream in = TikaInputStream.get(new ByteArrayInputStream(bytes))) {
            parser.parse(in, handler, metadata, new ParseContext());
        } catch (EncryptedDocumentException e) {
            throw new PoisonInputException("encrypted", "the document is encrypted or password-protected", e);
        } catch (ZeroByteFileException e) {
            throw new PoisonInputException("empty", "the file is empty (0 bytes)", e);
        } catch (SAXException e) {
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                throw new PoisonInputException("too_large", "the document unpacks to more than " + maxCharacters
                        + " characters (ingestion.parsing.max-characters); split it or raise the limit", e);
            }
            throw new PoisonInputException("corrupt", "could not parse " + detected + ": " + rootMessage(e), e);
        } catch (TikaException | IOException | RuntimeException e) {
            String message = rootMessage(e);
            if (message.toLowerCase(Locale.ROOT).contains("zip bomb") || message.contains("inflate ratio")
                    || message.toLowerCase(Locale.ROOT).contains("compression ratio")) {
                throw new PoisonInputException("zip_bomb", "the document looks like a zip bomb: " + message, e);
            }
            throw new PoisonInputException("corrupt", "could not parse " + detected + ": " + message, e);
        }
        return checked(handler.toString(), detected);
    }

    private static ParsedDocument checked(String raw, String detected) {
        String text = TextNormaliser.normalise(raw);
        if (text.isBlank()) {
            throw new PoisonInputException("no_text", "no text found in the " + detected + " document");
        }
        if (TextNormaliser.garbageRatio(text) > MAX_GARBAGE_RATIO) {
            throw new PoisonInputException("binary", "the content is binary, not text (detected " + detected + ")");
        }
        return new ParsedDocument(text, MediaType.parse(detected).toString());
    }

    /** The bytes as UTF-8 (without a byte-order mark), or null when they are not valid UTF-8 or hold a NUL byte. */
    private static String strictUtf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null && !message.toString().contains(t.getMessage())) {
                message.append(": ").append(t.getMessage());
            }
        }
        String text = message.toString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
