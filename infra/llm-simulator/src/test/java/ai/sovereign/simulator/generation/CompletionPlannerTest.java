package ai.sovereign.simulator.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sovereign.simulator.json.Json;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CompletionPlannerTest {

    private static final List<ToolSpec> WEATHER_TOOLS = ToolSpec.parseAll(Json.parse("""
            [{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
              "properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"enum":["c","f"]}}}}},
             {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
            """));

    private final CompletionPlanner planner = new CompletionPlanner(42);

    @Test
    void sameSeedModelAndPromptGiveTheSameAnswer() {
        Completion first = planner.plan(request("m", "Hello there", OptionalLong.empty(), -1), 30);
        Completion second = new CompletionPlanner(42).plan(request("m", "Hello there", OptionalLong.empty(), -1), 30);
        assertEquals(first, second);
        assertEquals(30, first.completionTokens());
        assertEquals(FinishReason.STOP, first.finishReason());
    }

    @Test
    void differentSeedModelOrPromptChangeTheAnswer() {
        String base = planner.plan(request("m", "Hello", OptionalLong.empty(), -1), 30)
                .text();
        assertNotEquals(
                base,
                planner.plan(request("m", "Hello!", OptionalLong.empty(), -1), 30)
                        .text());
        assertNotEquals(
                base,
                planner.plan(request("other", "Hello", OptionalLong.empty(), -1), 30)
                        .text());
        assertNotEquals(
                base,
                planner.plan(request("m", "Hello", OptionalLong.of(7), -1), 30).text());
        assertNotEquals(
                base,
                new CompletionPlanner(43)
                        .plan(request("m", "Hello", OptionalLong.empty(), -1), 30)
                        .text());
    }

    @Test
    void clientLimitBelowNaturalLengthEndsWithLengthAndIsAPrefix() {
        Completion full = planner.plan(request("m", "p", OptionalLong.empty(), -1), 30);
        Completion cut = planner.plan(request("m", "p", OptionalLong.empty(), 7), 30);
        assertEquals(FinishReason.LENGTH, cut.finishReason());
        assertEquals(7, cut.completionTokens());
        assertEquals(full.pieces().subList(0, 7), cut.pieces());
        assertEquals(
                FinishReason.STOP,
                planner.plan(request("m", "p", OptionalLong.empty(), 30), 30).finishReason());
    }

    @Test
    void stopSequenceCutsTheAnswerBeforeItAndStops() {
        Completion full = planner.plan(request("m", "p", OptionalLong.empty(), -1), 40);
        assertTrue(full.text().contains("."), "a 40-token answer ends at least one sentence");
        Completion stopped = planner.plan(
                new CompletionRequest(
                        "m", Prompt.of("p"), OptionalLong.empty(), -1, List.of("."), List.of(), ToolChoice.AUTO),
                40);
        assertEquals(full.text().substring(0, full.text().indexOf('.')), stopped.text());
        assertEquals(FinishReason.STOP, stopped.finishReason());
        assertEquals(TokenCounter.count(stopped.text()), stopped.completionTokens());
    }

    @Test
    void toolIsCalledWhenTheLastUserMessageStartsWithCall() {
        Completion answer = planner.plan(toolRequest("call get_time please", ToolChoice.AUTO), 30);
        assertNotNull(answer.toolCall());
        assertEquals("get_time", answer.toolCall().name());
        assertEquals(FinishReason.TOOL_CALLS, answer.finishReason());
        assertEquals(answer.toolCall().tokens(), answer.completionTokens());
    }

    @Test
    void unknownFunctionNameAfterCallFallsBackToTheFirstTool() {
        assertEquals(
                "get_weather",
                planner.plan(toolRequest("call somebody", ToolChoice.AUTO), 30)
                        .toolCall()
                        .name());
    }

    @Test
    void autoToolChoiceWithoutTriggerAnswersWithText() {
        Completion answer = planner.plan(toolRequest("what is the weather?", ToolChoice.AUTO), 30);
        assertNull(answer.toolCall());
        assertEquals(30, answer.pieces().size());
    }

    @Test
    void forcedToolChoiceAlwaysCallsAndNoneNeverDoes() {
        assertEquals(
                "get_time",
                planner.plan(toolRequest("hi", new ToolChoice.Named("get_time")), 30)
                        .toolCall()
                        .name());
        assertEquals(
                "get_weather",
                planner.plan(toolRequest("hi", ToolChoice.REQUIRED), 30)
                        .toolCall()
                        .name());
        assertNull(
                planner.plan(toolRequest("call get_time", ToolChoice.NONE), 30).toolCall());
    }

    @Test
    void toolArgumentsFollowTheDeclaredSchema() {
        ToolCall call = planner.plan(toolRequest("call get_weather", ToolChoice.AUTO), 30)
                .toolCall();
        JsonNode args = Json.parse(call.argumentsJson());
        assertTrue(args.path("city").isString());
        assertTrue(args.path("days").isIntegralNumber());
        assertTrue(List.of("c", "f").contains(args.path("unit").stringValue()));
        assertTrue(call.id().startsWith("call_"));
        assertFalse(call.id().length() < 10);
    }

    private static CompletionRequest request(String model, String prompt, OptionalLong seed, int maxTokens) {
        return new CompletionRequest(model, Prompt.of(prompt), seed, maxTokens, List.of(), List.of(), ToolChoice.AUTO);
    }

    private static CompletionRequest toolRequest(String userMessage, ToolChoice choice) {
        return new CompletionRequest(
                "m", Prompt.of(userMessage), OptionalLong.empty(), -1, List.of(), WEATHER_TOOLS, choice);
    }
}
