package ai.sovereign.audit.checkpoint;

import ai.sovereign.audit.checkpoint.CheckpointViews.CheckpointPage;
import ai.sovereign.audit.checkpoint.CheckpointViews.CheckpointView;
import ai.sovereign.audit.checkpoint.CheckpointViews.CreatedCheckpoints;
import ai.sovereign.audit.checkpoint.CheckpointViews.PublicKeyView;
import ai.sovereign.audit.query.QueryParams;
import ai.sovereign.audit.store.AuditDatabase;
import ai.sovereign.runtime.security.Role;
import ai.sovereign.runtime.security.ServiceTokenFilter;
import ai.sovereign.runtime.signing.SigningKey;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/audit/checkpoints}: the signed checkpoints, newest first, with the public key to verify them
 * offline; {@code POST} signs a checkpoint of every chain that advanced now (before maintenance, or in a drill).
 */
@Controller("/api/v1/audit/checkpoints")
public class CheckpointController {

    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AuditDatabase database;
    private final CheckpointWriter writer;
    private final SigningKey key;
    private final TrustedKeys trustedKeys;

    public CheckpointController(
            AuditDatabase database, CheckpointWriter writer, SigningKey key, TrustedKeys trustedKeys) {
        this.database = database;
        this.writer = writer;
        this.key = key;
        this.trustedKeys = trustedKeys;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CheckpointPage list(HttpRequest<?> request) throws SQLException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        QueryParams params = QueryParams.of(request.getParameters(), Set.of("chain", "limit", "cursor"));
        Integer chain = params.integer("chain", 0, Integer.MAX_VALUE, false).orElse(null);
        int limit = params.integer("limit", 1, MAX_LIMIT, true).orElse(DEFAULT_LIMIT);
        CheckpointCursor cursor =
                params.text("cursor").map(CheckpointCursor::decode).orElse(null);
        List<Checkpoint> page;
        try (Connection connection = database.connect()) {
            page = CheckpointStore.page(connection, chain, cursor, limit + 1);
        }
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            Checkpoint last = page.getLast();
            next = new CheckpointCursor(last.time(), last.chain(), last.seq()).encode();
        }
        List<PublicKeyView> trusted = trustedKeys.all().entrySet().stream()
                .map(e -> PublicKeyView.of(e.getKey(), e.getValue()))
                .toList();
        return new CheckpointPage(
                currentKey(), trusted, page.stream().map(CheckpointView::of).toList(), next);
    }

    @Post
    @ExecuteOn(TaskExecutors.BLOCKING)
    public CreatedCheckpoints create(HttpRequest<?> request) throws SQLException {
        ServiceTokenFilter.caller(request).require(Role.AUDITOR, Role.ADMIN);
        List<Checkpoint> created = writer.checkpointAll();
        return new CreatedCheckpoints(
                currentKey(), created.stream().map(CheckpointView::of).toList());
    }

    private PublicKeyView currentKey() {
        return PublicKeyView.of(key.keyId(), key.publicKey());
    }
}
