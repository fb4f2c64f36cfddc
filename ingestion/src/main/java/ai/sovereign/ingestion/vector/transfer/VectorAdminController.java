package ai.sovereign.ingestion.vector.transfer;

import ai.sovereign.ingestion.audit.IngestionAudit;
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
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code /api/v1/admin/vectors}: the backup-service's contract (docs/backup.md). Export streams every vector of every
 * tenant as NDJSON; import with {@code mode=replace} replaces the store's content, with {@code mode=scratch} restores into
 * a scratch store and answers what it holds (the backup-service's verification). Admin role only (the backup-service
 * calls with an admin or service token).
 */
@Controller("/api/v1/admin/vectors")
@ExecuteOn(TaskExecutors.BLOCKING)
public class VectorAdminController {

    static final MediaType NDJSON = MediaType.of("application/x-ndjson");

    private final VectorTransfer transfer;
    private final IngestionAudit audit;

    public VectorAdminController(VectorTransfer transfer, IngestionAudit audit) {
        this.transfer = transfer;
        this.audit = audit;
    }

    @Get(value = "/export", produces = "application/x-ndjson")
    public StreamedFile export(HttpRequest<?> request) {
        Caller caller = admin(request);
        audit.record(request, caller, "ingestion.vectors.export", "vectors", "*", Map.of());
        return new StreamedFile(transfer.export(), NDJSON);
    }

    /**
     * {@code mode=replace}: replaces the store's content, answers {@code {"imported": n}}. {@code mode=scratch}: imports
     * into a scratch store instead (the serving one is not touched) and answers that store's NDJSON export; the scratch
     * store is deleted when the answer ends. Both validate every line before writing anything.
     */
    @Post(
            value = "/import",
            consumes = {"application/x-ndjson", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM},
            produces = {MediaType.APPLICATION_JSON, "application/x-ndjson"})
    public HttpResponse<?> importVectors(
            HttpRequest<?> request, @Nullable @QueryValue String mode, @Nullable @Body InputStream body) {
        Caller caller = admin(request);
        InputStream ndjson = body == null ? InputStream.nullInputStream() : body;
        if ("scratch".equals(mode)) {
            InputStream restored = transfer.restoreIntoScratch(ndjson);
            audit.record(
                    request,
                    caller,
                    "ingestion.vectors.import",
                    "vectors",
                    "scratch",
                    Map.<String, Object>of("mode", mode));
            return HttpResponse.ok(new StreamedFile(restored, NDJSON)).contentType(NDJSON);
        }
        if (!"replace".equals(mode)) {
            throw ApiException.badRequest(
                    "mode must be replace or scratch (got " + mode + "): an import replaces the store's "
                            + "content, or goes into a scratch store that is read back and dropped",
                    "mode");
        }
        long imported = transfer.replaceAll(ndjson);
        audit.record(
                request,
                caller,
                "ingestion.vectors.import",
                "vectors",
                "*",
                Map.<String, Object>of("mode", mode, "imported", imported));
        return HttpResponse.ok(Map.of("imported", imported)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static Caller admin(HttpRequest<?> request) {
        return ServiceTokenFilter.caller(request).require(Role.ADMIN, Role.SERVICE);
    }
}
