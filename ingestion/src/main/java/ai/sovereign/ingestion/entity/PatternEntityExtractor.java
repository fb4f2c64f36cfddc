package ai.sovereign.ingestion.entity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic extractor: capitalised noun phrases (two or more capitalised words, or one not opening a
 * sentence), acronyms (two or more capitals, digits allowed) and numbers with units. Same text, same entities.
 */
public final class PatternEntityExtractor implements EntityExtractor {

    private static final Pattern ACRONYM = Pattern.compile("\\b[A-Z][A-Z0-9]{1,9}s?\\b");
    private static final Pattern PHRASE =
            Pattern.compile("\\b[A-Z][a-z]+(?:[- ](?:of |de |van )?[A-Z][a-zA-Z]+){0,4}\\b");
    private static final Pattern QUANTITY = Pattern.compile(
            "\\b\\d+(?:[.,]\\d+)?\\s?(?:%|percent|km/h|km/s|mph|m/s|km|cm|mm|nm|m|kg|mg|g|t|lbs?|ft|in|mi|ms|s|sec|min|h|hrs?|"
                    + "days?|years?|°C|°F|K|psi|Pa|kPa|MPa|bar|atm|Hz|kHz|MHz|GHz|W|kW|MW|GW|kWh|V|kV|A|mA|B|KB|MB|GB|TB|"
                    + "EUR|USD|GBP|€|\\$|dB|mach|Mach)(?![A-Za-z0-9])");
    private static final Set<String> STOP = Set.of(
            "The", "A", "An", "This", "That", "These", "Those", "It", "In", "On", "At", "For", "And", "But", "Or", "If",
            "When", "While", "We", "You", "They", "He", "She", "I", "Our", "Its", "As", "By", "From", "With", "To",
            "Of", "Is", "Are", "Was", "Were", "Be", "There", "Here", "What", "Which", "Who", "How", "Why", "Where",
            "Then", "Thus", "Also", "However", "Each", "All", "Some", "No", "Not", "Yes", "So", "Such", "Any", "One",
            "Two", "Three", "After", "Before", "Between", "Into", "Over", "Under", "Figure", "Table", "Section",
            "Chapter", "Note");
    private static final int MAX_PER_CHUNK = 50;

    @Override
    public List<Entity> extract(String text) {
        Map<String, Entity> found = new LinkedHashMap<>();
        Matcher quantity = QUANTITY.matcher(text);
        while (quantity.find() && found.size() < MAX_PER_CHUNK) {
            add(found, new Entity(quantity.group().replaceAll("\\s+", " "), Entity.Kind.QUANTITY));
        }
        Matcher acronym = ACRONYM.matcher(text);
        while (acronym.find() && found.size() < MAX_PER_CHUNK) {
            add(found, new Entity(acronym.group(), Entity.Kind.ACRONYM));
        }
        Matcher phrase = PHRASE.matcher(text);
        while (phrase.find() && found.size() < MAX_PER_CHUNK) {
            String value = phrase.group();
            String[] words = value.split("[- ]", -1);
            if (words.length == 1
                    && (opensSentence(text, phrase.start()) || STOP.contains(value) || value.length() < 3)) {
                continue;
            }
            if (words.length > 1 && STOP.contains(words[0])) {
                value = value.substring(words[0].length() + 1);
                if (!value.contains(" ") && opensSentence(text, phrase.start())) {
                    continue;
                }
            }
            add(found, new Entity(value, Entity.Kind.NAME));
        }
        return List.copyOf(found.values());
    }

    private static void add(Map<String, Entity> found, Entity entity) {
        found.putIfAbsent(entity.key(), entity);
    }

    private static boolean opensSentence(String text, int start) {
        int i = start - 1;
        while (i >= 0 && Character.isWhitespace(text.charAt(i))) {
            if (text.charAt(i) == '\n') {
                return true;
            }
            i--;
        }
        return i < 0 || ".!?:;\"'(#*-".indexOf(text.charAt(i)) >= 0;
    }
}
