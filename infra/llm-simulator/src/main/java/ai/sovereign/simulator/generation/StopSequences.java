package ai.sovereign.simulator.generation;

import java.util.ArrayList;
import java.util.List;

/** Cuts generated pieces at the first stop sequence, which (as with real servers) is not emitted. */
final class StopSequences {

    private StopSequences() {}

    /** Returns the pieces before the earliest stop sequence, or {@code null} when none occurs. */
    static List<String> cut(List<String> pieces, List<String> stops) {
        if (stops.isEmpty()) {
            return null;
        }
        String text = String.join("", pieces);
        int cutAt = -1;
        for (String stop : stops) {
            int at = stop.isEmpty() ? -1 : text.indexOf(stop);
            if (at >= 0 && (cutAt < 0 || at < cutAt)) {
                cutAt = at;
            }
        }
        if (cutAt < 0) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        int offset = 0;
        for (String piece : pieces) {
            if (offset + piece.length() <= cutAt) {
                kept.add(piece);
            } else {
                if (offset < cutAt) {
                    kept.add(piece.substring(0, cutAt - offset));
                }
                break;
            }
            offset += piece.length();
        }
        return kept;
    }
}
