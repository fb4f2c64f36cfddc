package ai.sovereign.ingestion.source;

import ai.sovereign.events.IngestionJob;
import ai.sovereign.events.UuidV7;
import ai.sovereign.runtime.errors.ApiException;
import ai.sovereign.runtime.security.Caller;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accepting uploads (validate, stage, record, queue), reading a tenant's sources, deleting one everywhere. */
@Singleton
public class SourceService {

    private final SourceRepository repository;
    private final RawStore raw;
    private final SourceProcessing processing;
    private final UploadSettings settings;

    public SourceService(
            SourceRepository repository, RawStore raw, SourceProcessing processing, UploadSettings settings) {
        this.repository = repository;
        this.raw = raw;
        this.processing = processing;
        this.settings = settings;
    }

    /** Validates every file first (so a bad request stores nothing), then stages and queues each one. */
    public List<UploadResult> upload(Caller caller, List<UploadedFile> files) {
        if (files.isEmpty()) {
            throw ApiException.badRequest(
                    "no files in the upload; send multipart/form-data with one or more file parts", "file");
        }
        if (files.size() > settings.maxFiles()) {
            throw ApiException.badRequest(
                    "too many files: " + files.size() + " (at most " + settings.maxFiles()
                            + " per request, ingestion.upload.max-files)",
                    "file");
        }
        List<String> types = new ArrayList<>();
        for (UploadedFile file : files) {
            if (file.bytes().length > settings.maxFileBytes()) {
                throw new ApiException(
                        HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                        "file " + file.name() + " is " + file.bytes().length + " bytes; the limit is "
                                + settings.maxFileBytes() + " (ingestion.upload.max-file-bytes)",
                        "file_too_large",
                        "file");
            }
            types.add(FileTypes.resolve(file.name(), file.declaredType())
                    .orElseThrow(() -> new ApiException(
                            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                            "file " + file.name() + " (" + file.declaredType()
                                    + ") is not a supported type; supported: " + FileTypes.supportedList(),
                            "unsupported_file_type",
                            "file")));
        }
        List<UploadResult> results = new ArrayList<>();
        List<IngestionJob> queued = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            results.add(accept(caller, files.get(i), types.get(i), queued));
        }
        // one batch of jobs for the whole request; the 202 still waits for the broker to acknowledge every one
        processing.queue(queued);
        return results;
    }

    private UploadResult accept(Caller caller, UploadedFile file, String contentType, List<IngestionJob> queued) {
        String hash = RawStore.sha256(file.bytes());
        Optional<Source> existing = repository.findByHash(caller.tenant(), hash);
        if (existing.isPresent() && existing.get().status() != SourceStatus.FAILED) {
            Source same = existing.get();
            return new UploadResult(same.id(), same.name(), same.status(), true);
        }
        existing.ifPresent(failed -> delete(caller, failed.id()));
        UUID id = UuidV7.generate();
        String path = raw.write(caller.tenant(), id, file.bytes()).toString();
        if (!repository.insertQueued(id, caller.tenant(), file.name(), contentType, hash, file.bytes().length, path)) {
            // the same content raced in through another request
            raw.delete(path);
            Source same = repository.findByHash(caller.tenant(), hash).orElseThrow();
            return new UploadResult(same.id(), same.name(), same.status(), true);
        }
        queued.add(new IngestionJob(
                UuidV7.generate().toString(),
                id.toString(),
                caller.tenant(),
                IngestionJob.Action.INGEST,
                file.name(),
                contentType,
                hash,
                (long) file.bytes().length,
                path,
                caller.subject(),
                Instant.now()));
        return new UploadResult(id, file.name(), SourceStatus.QUEUED, false);
    }

    public Source get(Caller caller, UUID id) {
        return repository.find(caller.tenant(), id).orElseThrow(() -> ApiException.notFound("no source " + id));
    }

    public Page list(Caller caller, int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page must be >= 0 (got " + page + ")", "page");
        }
        if (size < 1 || size > 200) {
            throw ApiException.badRequest("size must be 1..200 (got " + size + ")", "size");
        }
        return new Page(
                repository.list(caller.tenant(), size, page * size), page, size, repository.count(caller.tenant()));
    }

    /**
     * Removes the row first (from then on no search shows the source), then its vectors, graph and raw bytes. A job
     * still running for it notices at the end and takes back what it wrote.
     */
    public void delete(Caller caller, UUID id) {
        Source source =
                repository.delete(caller.tenant(), id).orElseThrow(() -> ApiException.notFound("no source " + id));
        processing.removeStored(source.tenant(), source.id().toString(), source.storagePath());
    }

    /** One page of a tenant's sources. */
    public record Page(List<Source> sources, int page, int size, long total) {}
}
