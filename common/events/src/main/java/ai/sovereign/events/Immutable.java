package ai.sovereign.events;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Defensive copies for record components. Unlike {@code List.copyOf}, a {@code null} collection or element is kept,
 * so that {@link EventCodec} can report it with its field path instead of a bare NullPointerException.
 */
final class Immutable {

    private Immutable() {}

    static <T> List<T> list(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <K, V> Map<K, V> map(Map<K, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
