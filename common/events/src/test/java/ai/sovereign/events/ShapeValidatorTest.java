package ai.sovereign.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapeValidatorTest {

    record NullablePrimitive(@Nullable int count) {}

    @Test
    void nullablePrimitiveComponentIsReportedAsAContractBug() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ShapeValidator.validateRecord(
                        JsonTree.value("{\"count\": 1}"), NullablePrimitive.class, "data", new ArrayList<>()));
        assertEquals("NullablePrimitive.count is @Nullable but primitive; use the boxed type", e.getMessage());
    }

    @Test
    void everyContractUsesOnlyTypesTheValidatorUnderstands() {
        for (Sample sample : Sample.values()) {
            List<String> problems = new ArrayList<>();
            ShapeValidator.validateRecord(
                    JsonTree.parse(new EventCodec().encode(sample.event())).get("data"),
                    sample.data().getClass(),
                    "data",
                    problems);
            assertEquals(List.of(), problems, sample.name());
        }
    }
}
