package ai.sovereign.audit.verify;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the whole trail every {@code audit.verify.interval} (default 1h) and publishes the outcome as
 * {@code audit_chain_verified}; a break is logged at ERROR with the chain, seq and event.
 */
@Singleton
public final class PeriodicVerification {

    private static final Logger LOG = LoggerFactory.getLogger(PeriodicVerification.class);

    private final ChainVerifier verifier;
    private final VerificationStatus status;

    public PeriodicVerification(ChainVerifier verifier, VerificationStatus status) {
        this.verifier = verifier;
        this.status = status;
    }

    @Scheduled(fixedDelay = "${audit.verify.interval:1h}", initialDelay = "${audit.verify.initial-delay:1m}")
    void run() {
        try {
            VerifyReport report = verifier.verify(Optional.empty(), Optional.empty());
            status.record(report);
            if (report.ok()) {
                LOG.info(
                        "audit chains verified: {} chains, {} events, {} checkpoints",
                        report.chains(),
                        report.eventsChecked(),
                        report.checkpointsChecked());
            } else {
                status.failed();
                ChainBreak first = report.firstBreak();
                LOG.error(
                        "AUDIT CHAIN BROKEN: {} in chain {} at seq {} (event {}): {}",
                        first.kind(),
                        first.chain(),
                        first.seq(),
                        first.eventId(),
                        first.message());
            }
        } catch (SQLException | IOException | RuntimeException e) {
            LOG.error("periodic verification could not run: {}", e.getMessage(), e);
        }
    }
}
