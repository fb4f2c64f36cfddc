package ai.sovereign.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** CPU time of some of a process's threads, chosen by name, from /proc/PID/task/T/stat (Linux; 0 elsewhere). */
public final class ThreadCpu {

    /** The JVM's JIT compiler threads ("C1/C2 CompilerThread"). */
    public static final Predicate<String> JIT =
            name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");

    private ThreadCpu() {}

    /** CPU nanoseconds (user + system) of the threads of {@code pid} whose name matches. */
    public static long nanos(long pid, Predicate<String> threadName) {
        long nanos = 0;
        for (Sample thread : threads(pid).values()) {
            if (threadName.test(thread.name())) {
                nanos += thread.nanos();
            }
        }
        return nanos;
    }

    /** One thread: its name as the OS keeps it (15 characters at most) and its CPU nanoseconds (user + system). */
    public record Sample(String name, long nanos) {}

    /**
     * CPU nanoseconds spent between two {@link #threads} snapshots, summed per thread group: the OS thread name with
     * its trailing numbering removed ("GC Thread#1" and "GC Thread#0" are "GC Thread").
     */
    public static Map<String, Long> byGroup(Map<Long, Sample> before, Map<Long, Sample> after) {
        Map<String, Long> groups = new HashMap<>();
        after.forEach((tid, thread) -> {
            Sample earlier = before.get(tid);
            long delta =
                    thread.nanos() - (earlier != null && earlier.name().equals(thread.name()) ? earlier.nanos() : 0);
            if (delta > 0) {
                groups.merge(group(thread.name()), delta, Long::sum);
            }
        });
        return groups;
    }

    /** A thread's group: its name without the trailing digits, '#', '-' and blanks that number its pool's threads. */
    static String group(String threadName) {
        int end = threadName.length();
        while (end > 0 && "0123456789#- ".indexOf(threadName.charAt(end - 1)) >= 0) {
            end--;
        }
        return end == 0 ? threadName : threadName.substring(0, end);
    }

    /** Every thread of {@code pid} now, by thread id (empty when not on Linux or the process is gone). */
    public static Map<Long, Sample> threads(long pid) {
        Map<Long, Sample> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    threads.put(Long.parseLong(task.getFileName().toString()), new Sample(comm, ticks * 10_000_000L));
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone
        }
        return threads; // ticks of USER_HZ = 100 on Linux
    }
}
