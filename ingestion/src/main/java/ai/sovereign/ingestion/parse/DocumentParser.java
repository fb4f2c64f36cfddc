package ai.sovereign.ingestion.parse;

import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
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
    public static final Set<String> SUPPORTED = Set.of(
            "text/plain",
            "text/markdown",
            "text/x-web-markdown",
            "text/html",
            "application/xhtml+xml",
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

    private static final double MAX_GARBAGE_RATIO = 0.05;

    private final AutoDetectParser parser = new AutoDetectParser();
    private final int maxCharacters;
    private final boolean trustTextNames;

    public DocumentParser(ParsingSettings settings) {
        this.maxCharacters = settings.maxCharacters();
        this.trustTextNames = settings.trustTextNames();
    }

    public ParsedDocument parse(byte[] bytes, String fileName) {
        if (bytes.length == 0) {
            throw new PoisonInputException("empty", "the file is empty (0 bytes)");
        }
        String declaredText = trustTextNames ? declaredTextType(fileName) : null;
        if (declaredText != null) {
            String direct = strictUtf8(bytes);
            if (direct != null && !mayBeAnotherFormat(direct)) {
                // declared text and the content is text: Tika's magic detection (a pass of ~1,500 signatures, the
                // largest CPU cost of a small document) could only confirm it
                return checked(withinLimit(direct), declaredText);
            }
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
            throw new PoisonInputException(
                    "unsupported",
                    "unsupported content: detected " + detected
                            + "; supported are plain text, Markdown, HTML, PDF and DOCX");
        }
        if (detected.equals("text/plain")) {
            String direct = strictUtf8(bytes);
            if (direct != null) {
                // plain UTF-8 text: what Tika's text parser would hand back, without its charset detection and SAX
                // events
                return checked(withinLimit(direct), detected);
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
                throw new PoisonInputException(
                        "too_large",
                        "the document unpacks to more than " + maxCharacters
                                + " characters (ingestion.parsing.max-characters); split it or raise the limit",
                        e);
            }
            throw new PoisonInputException("corrupt", "could not parse " + detected + ": " + rootMessage(e), e);
        } catch (TikaException | IOException | RuntimeException e) {
            String message = rootMessage(e);
            if (message.toLowerCase(Locale.ROOT).contains("zip bomb")
                    || message.contains("inflate ratio")
                    || message.toLowerCase(Locale.ROOT).contains("compression ratio")) {
                throw new PoisonInputException("zip_bomb", "the document looks like a zip bomb: " + message, e);
            }
            throw new PoisonInputException("corrupt", "could not parse " + detected + ": " + message, e);
        }
        return checked(handler.toString(), detected);
    }

    private String withinLimit(String text) {
        if (text.length() > maxCharacters) {
            throw new PoisonInputException(
                    "too_large",
                    "the document unpacks to more than " + maxCharacters
                            + " characters (ingestion.parsing.max-characters); split it or raise the limit");
        }
        return text;
    }

    /** {@code text/plain} or {@code text/markdown} when the file's name says so, otherwise null. */
    static String declaredTextType(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        return switch (fileName.substring(dot + 1).toLowerCase(Locale.ROOT)) {
            case "txt", "text" -> "text/plain";
            case "md", "markdown" -> "text/markdown";
            default -> null;
        };
    }

    /** How far into a text {@link #mayBeAnotherFormat} looks (Tika's text signatures sit in the first kilobyte). */
    private static final int SIGNATURE_WINDOW = 1024;

    /**
     * Whether text that is valid UTF-8 may still be a format Tika would detect by its content despite a text name:
     * markup ({@code <} followed by a letter, {@code !}, {@code ?} or {@code /} in the first kilobyte: HTML, XML,
     * SVG, ...), or a signature at the start: {@code %} (PDF, PostScript), <code>{\rtf</code>, {@code #!} (scripts).
     * Such a file goes through Tika's detection, as every file did before.
     */
    static boolean mayBeAnotherFormat(String text) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (text.startsWith("%", start) || text.startsWith("{\\rtf", start) || text.startsWith("#!", start)) {
            return true;
        }
        int end = Math.min(text.length() - 1, SIGNATURE_WINDOW);
        for (int i = text.indexOf('<'); i >= 0 && i < end; i = text.indexOf('<', i + 1)) {
            char next = text.charAt(i + 1);
            if (Character.isLetter(next) || next == '!' || next == '?' || next == '/') {
                return true;
            }
        }
        return false;
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
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
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
