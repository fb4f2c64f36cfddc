package ai.sovereign.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** CPU time of some of a process's threads, chosen by name, from /proc/PID/task/T/stat (Linux; 0 elsewhere). */
public final class ThreadCpu {

    /** The JVM's JIT compiler threads ("C1/C2 CompilerThread"). */
    public static final Predicate<String> JIT = name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");

    private ThreadCpu() {
    }

    /** CPU nanoseconds (user + system) of the threads of {@code pid} whose name matches. */
    public static long nanos(long pid, Predicate<String> threadName) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (threadName.test(comm)) {
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime + stime
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;   // not Linux, or the process is gone
        }
        return ticks * 10_000_000L;   // USER_HZ is 100 on Linux
    }
}
