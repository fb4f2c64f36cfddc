package ai.sovereign.router.fleet;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The router's one timer thread: queue deadlines, health checks, recovery tests, breaker and stream watchdogs. */
@Factory
public class TimerFactory {

    /** Timer tasks only schedule or hand off work; none blocks, so one thread serves them all. */
    @Singleton
    @Named("router-timer")
    @Bean(preDestroy = "shutdownNow")
    ScheduledExecutorService routerTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "router-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
