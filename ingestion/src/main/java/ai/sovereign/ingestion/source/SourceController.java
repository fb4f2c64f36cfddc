package ai.sovereign.ingestion.source;

import ai.sovereign.ingestion.audit.IngestionAudit;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;
import java.util.UUID;

/** {@code /api/v1/sources}: upload, list, read, delete; every call is the caller's tenant's. */
@Controller("/api/v1/sources")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SourceController {

    private final SourceService service;
    private final IngestionAudit audit;

    public SourceController(SourceService service, IngestionAudit audit) {
        this.service = service;
        this.audit = audit;
    }

    @Post(value = "/upload", consumes = MediaType.MULTIPART_FORM_DATA)
    public HttpResponse<UploadResponse> upload(HttpRequest<?> request, @Body byte[] body) {
        Caller caller = writer(request);
        String contentType =
                request.getHeaders().get(HttpHeaders.CONTENT_TYPE, String.class, MediaType.MULTIPART_FORM_DATA);
        List<UploadedFile> files = MultipartFiles.parse(contentType, body);
        List<UploadResult> results = service.upload(caller, files);
        for (UploadResult r : results) {
            audit.record(
                    request,
                    caller,
                    "ingestion.source.upload",
                    "source",
                    r.id().toString(),
                    java.util.Map.of("name", r.name(), "deduplicated", r.deduplicated()));
        }
        return HttpResponse.<UploadResponse>status(HttpStatus.ACCEPTED)
                .body(new UploadResponse(results.stream()
                        .map(r -> new UploadedSource(
                                r.id().toString(), r.name(), r.status().wireName(), r.deduplicated()))
                        .toList()));
    }

    @Get
    public SourcePage list(
            HttpRequest<?> request,
            @QueryValue(defaultValue = "0") int page,
            @QueryValue(defaultValue = "20") int size) {
        SourceService.Page result = service.list(reader(request), page, size);
        return new SourcePage(
                result.sources().stream().map(SourceView::of).toList(), result.page(), result.size(), result.total());
    }

    @Get("/{id}")
    public SourceView get(HttpRequest<?> request, @PathVariable String id) {
        return SourceView.of(service.get(reader(request), parseId(id)));
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = writer(request);
        service.delete(caller, parseId(id));
        audit.record(request, caller, "ingestion.source.delete", "source", id, java.util.Map.of());
        return HttpResponse.noContent();
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no source " + id);
        }
    }

    private static Caller reader(HttpRequest<?> request) {
        return ServiceTokenFilter.caller(request).require(Role.USER, Role.ADMIN, Role.SERVICE, Role.AUDITOR);
    }

    private static Caller writer(HttpRequest<?> request) {
        return ServiceTokenFilter.caller(request).require(Role.USER, Role.ADMIN, Role.SERVICE);
    }

    /** 202 body of an upload. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record UploadResponse(List<UploadedSource> sources) {}

    /** One accepted file. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record UploadedSource(String id, String name, String status, boolean deduplicated) {}

    /** A page of sources, newest first. */
    @Serdeable(naming = SnakeCaseStrategy.class)
    public record SourcePage(List<SourceView> data, int page, int size, long total) {}
}
