package dev.cronhook.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time of processes and threads from /proc (Linux), in clock ticks of 10 ms. */
final class ProcCpu {
    static final double TICK_SECONDS = 0.01;

    private ProcCpu() {
    }

    /** User + system ticks of a process (all its threads), 0 when it is gone. */
    static long processTicks(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    static long sumTicks(Collection<? extends Number> pids) {
        long sum = 0;
        for (Number pid : pids) {
            sum += processTicks(pid.longValue());
        }
        return sum;
    }

    /** Ticks per thread id of a process, with each thread's name. */
    static Map<Long, ThreadTicks> threadTicks(long pid) {
        Map<Long, ThreadTicks> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                String stat = read(task.resolve("stat"));
                if (stat != null) {
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new ThreadTicks(stat.substring(open + 1, close), fields(stat)));
                }
            });
        } catch (IOException e) {
            // process gone
        }
        return threads;
    }

    record ThreadTicks(String name, long ticks) {
    }

    /** Busy and total ticks of the whole machine. */
    static long[] machineTicks() {
        String stat = read(Path.of("/proc/stat"));
        if (stat == null) {
            return new long[] {0, 0};
        }
        String[] parts = stat.lines().findFirst().orElse("").trim().split("\\s+");
        long total = 0;
        long idle = 0;
        for (int i = 1; i < parts.length && i <= 8; i++) {
            long value = Long.parseLong(parts[i]);
            total += value;
            if (i == 4 || i == 5) {
                idle += value;
            }
        }
        return new long[] {total - idle, total};
    }

    /** Process ids whose command name is {@code name} (e.g. all of PostgreSQL's processes). */
    static java.util.List<Long> pidsNamed(String name) {
        java.util.List<Long> pids = new java.util.ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                String comm = read(p.resolve("comm"));
                if (comm != null && comm.trim().equals(name)) {
                    pids.add(Long.parseLong(p.getFileName().toString()));
                }
            });
        } catch (IOException e) {
            // no /proc
        }
        return pids;
    }

    /**
     * The kernel's count of connections refused because a listen queue was full (TcpExt ListenOverflows): each makes
     * the connecting side retransmit its SYN after 1 s, then 3 s.
     */
    static long listenOverflows() {
        String text = read(Path.of("/proc/net/netstat"));
        if (text == null) {
            return 0;
        }
        List<String> lines = text.lines().filter(l -> l.startsWith("TcpExt:")).toList();
        if (lines.size() < 2) {
            return 0;
        }
        List<String> names = List.of(lines.get(0).split("\\s+"));
        String[] values = lines.get(1).split("\\s+");
        int at = names.indexOf("ListenOverflows");
        return at < 0 ? 0 : Long.parseLong(values[at]);
    }

    private static long ticks(Path stat) {
        String text = read(stat);
        return text == null ? 0 : fields(text);
    }

    private static long fields(String stat) {
        // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
