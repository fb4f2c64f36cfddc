package ai.sovereign.backup.schedule;

import ai.sovereign.backup.BackupSettings;
import ai.sovereign.backup.audit.BackupAudit;
import ai.sovereign.backup.catalog.BackupCatalog;
import ai.sovereign.backup.run.BackupRunner;
import ai.sovereign.backup.run.Components;
import ai.sovereign.backup.target.Targets;
import ai.sovereign.runtime.errors.ApiException;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.cron.CronExpression;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each component on its cron ({@code backup.schedules.<component>}). Every check asks: is the first fire time
 * after the component's last run already past? So a schedule missed while the service was down runs once at start,
 * however many fire times were missed. With no run ever, the reference is the service's start.
 */
@Context
public class BackupScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

    private final Map<String, CronExpression> schedules;
    private final BackupCatalog catalog;
    private final BackupRunner runner;
    private final Components components;
    private final Targets targets;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt;

    public BackupScheduler(
            BackupSettings settings,
            BackupCatalog catalog,
            BackupRunner runner,
            Components components,
            Targets targets,
            @Named("scheduled") TaskScheduler scheduler) {
        this.schedules = settings.schedules().byComponent();
        this.catalog = catalog;
        this.runner = runner;
        this.components = components;
        this.targets = targets;
        this.startedAt = clock.instant();
        if (!schedules.isEmpty()) {
            scheduler.scheduleWithFixedDelay(Duration.ofMillis(500), settings.scheduleCheckInterval(), this::tick);
            LOG.info("backup schedules: {}", schedules);
        }
    }

    void tick() {
        for (Map.Entry<String, CronExpression> schedule : schedules.entrySet()) {
            String component = schedule.getKey();
            if (!components.names().contains(component) || runner.isBusy(component)) {
                continue;
            }
            try {
                Instant reference = catalog.lastStart(component).orElse(startedAt);
                ZonedDateTime due = schedule.getValue().nextTimeAfter(reference.atZone(ZoneOffset.UTC));
                if (due != null && !due.toInstant().isAfter(clock.instant())) {
                    LOG.info("scheduled backup of {} (due {})", component, due);
                    runner.start(
                            List.of(component),
                            targets.get(null, "target"),
                            "",
                            "schedule",
                            BackupAudit.Actor.system());
                }
            } catch (ApiException e) {
                LOG.info("scheduled backup of {} skipped: {}", component, e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("scheduled backup of {} could not start: {}", component, e.toString());
            }
        }
    }
}
