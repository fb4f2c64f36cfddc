package ai.sovereign.router.commands;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;

/** Reads of {@code fleet_commands}; the conditional writes, which need {@code ON CONFLICT} and {@code RETURNING}, are in {@link CommandStore}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface CommandRows extends GenericRepository<CommandRow, String> {

    Optional<CommandRow> findById(String commandId);

    Optional<CommandRow> findByIdempotencyKey(String idempotencyKey);

    List<CommandRow> list(Pageable pageable);

    List<CommandRow> listByHostId(String hostId, Pageable pageable);
}
