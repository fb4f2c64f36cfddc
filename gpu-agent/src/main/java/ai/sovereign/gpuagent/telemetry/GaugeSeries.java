package ai.sovereign.gpuagent.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One gauge name with a changing set of labelled series. Showing the same series again only updates their values;
 * the registry is touched only when a series appears or disappears (a GPU value turning {@code [N/A]} removes its
 * series rather than showing zero). Cheap enough to call every second.
 */
final class GaugeSeries {

    private final MultiGauge gauge;
    private final String[] labelNames;
    private List<String> shape = List.of();
    private double[] values = new double[0];

    GaugeSeries(MeterRegistry registry, String name, String description, String... labelNames) {
        this.gauge = MultiGauge.builder(name).description(description).register(registry);
        this.labelNames = labelNames.clone();
    }

    /** Collects the series of one update: label values (in the order of the label names) and the value. */
    final class Update {

        private final List<String> keys = new ArrayList<>();
        private final List<String[]> labels = new ArrayList<>();
        private double[] next = new double[8];

        Update add(Number value, String... labelValues) {
            if (value == null) {
                return this;
            }
            if (labels.size() == next.length) {
                next = Arrays.copyOf(next, next.length * 2);
            }
            next[labels.size()] = value.doubleValue();
            labels.add(labelValues);
            keys.add(String.join("\u0000", labelValues));
            return this;
        }

        void show() {
            synchronized (GaugeSeries.this) {
                if (keys.equals(shape)) {
                    System.arraycopy(next, 0, values, 0, values.length);
                    return;
                }
                double[] held = Arrays.copyOf(next, labels.size());
                List<MultiGauge.Row<?>> rows = new ArrayList<>(labels.size());
                for (int i = 0; i < labels.size(); i++) {
                    int index = i;
                    rows.add(MultiGauge.Row.of(tags(labels.get(i)), held, v -> v[index]));
                }
                values = held;
                shape = List.copyOf(keys);
                gauge.register(rows, true);
            }
        }
    }

    Update update() {
        return new Update();
    }

    private Tags tags(String[] labelValues) {
        Tags tags = Tags.empty();
        for (int i = 0; i < labelNames.length; i++) {
            tags = tags.and(labelNames[i], labelValues[i]);
        }
        return tags;
    }
}
