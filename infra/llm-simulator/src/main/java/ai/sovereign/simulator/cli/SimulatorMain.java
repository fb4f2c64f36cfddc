package ai.sovereign.simulator.cli;

import ai.sovereign.simulator.LlmSimulator;
import ai.sovereign.simulator.SimulatorConfig;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar llm-simulator.jar --port N --models a,b ...}: runs until the process is stopped. */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (CommandLine.wantsHelp(args)) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        SimulatorConfig config;
        try {
            config = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("llm-simulator: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        LlmSimulator simulator;
        try {
            simulator = LlmSimulator.start(config);
        } catch (IllegalStateException e) {
            System.err.println("llm-simulator: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            simulator.close();
                            stopped.countDown();
                        },
                        "llm-simulator-shutdown"));
        System.out.println("llm-simulator listening on " + config.host() + ":" + simulator.port() + " serving "
                + simulator.models() + " (seed " + config.seed() + ")");
        // Netty's threads are daemons (so embedded use never pins a JVM); main keeps the process up.
        stopped.await();
    }
}
