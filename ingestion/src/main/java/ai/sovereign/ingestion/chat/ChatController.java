package ai.sovereign.ingestion.chat;

import ai.sovereign.ingestion.audit.IngestionAudit;
import ai.sovereign.ingestion.router.RouterTokens;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/chat}: a grounded answer with numbered citations; with {@code stream: true} Server-Sent Events:
 * one {@code citations} event, {@code delta} events with text, then {@code done} (or {@code error}).
 */
@Controller("/api/v1/chat")
public class ChatController {

    private final ChatService chat;
    private final IngestionAudit audit;
    private final RouterTokens routerTokens;

    public ChatController(ChatService chat, IngestionAudit audit, RouterTokens routerTokens) {
        this.chat = chat;
        this.audit = audit;
        this.routerTokens = routerTokens;
    }

    @Post(produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_EVENT_STREAM})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> chat(HttpRequest<?> request, @Body ChatRequest body) {
        Caller caller = ServiceTokenFilter.caller(request).require(Role.USER, Role.ADMIN, Role.SERVICE);
        body.validate();
        // ingestion's own token for the router, on behalf of the caller's key: the caller's token is for ingestion only
        String token = routerTokens.forCaller(caller);
        int topK = body.topK() == null ? 5 : body.topK();
        Map<String, Object> details =
                new java.util.HashMap<>(Map.of("top_k", topK, "stream", Boolean.TRUE.equals(body.stream())));
        if (audit.mayRecordText(caller.tenant())) {
            details.put("question", body.question());
        }
        audit.record(request, caller, "ingestion.chat", "knowledge", caller.tenant(), details);
        if (!Boolean.TRUE.equals(body.stream())) {
            ChatService.Answer answer = chat.answer(caller.tenant(), body.question(), topK, body.model(), token);
            return HttpResponse.ok(
                    new ChatResponse(answer.text(), answer.citations(), answer.modelCalled(), answer.model()));
        }
        Flux<Event<Map<String, Object>>> events = Flux.<Event<Map<String, Object>>>create(sink -> {
                    try {
                        chat.stream(
                                caller.tenant(),
                                body.question(),
                                topK,
                                body.model(),
                                token,
                                citations -> sink.next(Event.<Map<String, Object>>of(Map.of("citations", citations))
                                        .name("citations")),
                                delta -> sink.next(Event.<Map<String, Object>>of(Map.of("content", delta))
                                        .name("delta")));
                        sink.next(Event.<Map<String, Object>>of(Map.of("finish_reason", "stop"))
                                .name("done"));
                        sink.complete();
                    } catch (RuntimeException e) {
                        sink.next(Event.<Map<String, Object>>of(Map.of("message", String.valueOf(e.getMessage())))
                                .name("error"));
                        sink.complete();
                    }
                })
                .subscribeOn(Schedulers.boundedElastic());
        return HttpResponse.ok(events).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
    }

    /** Request body. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record ChatRequest(
            @Nullable String question,
            @Nullable Integer topK,
            @Nullable String model,
            @Nullable Boolean stream) {

        void validate() {
            if (question == null || question.isBlank()) {
                throw ApiException.badRequest("question is required", "question");
            }
            if (question.length() > 8000) {
                throw ApiException.badRequest(
                        "question is too long (" + question.length() + " characters, at most 8000)", "question");
            }
            if (topK != null && (topK < 1 || topK > 20)) {
                throw ApiException.badRequest("top_k must be 1..20 (got " + topK + ")", "top_k");
            }
        }
    }

    /** A whole answer. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record ChatResponse(String answer, List<Citation> citations, boolean modelCalled, String model) {}
}
