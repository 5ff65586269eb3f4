package dev.cronhook.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server, {@code java -jar api/target/cronhook.jar}, as a user starts it: a process of its own on
 * 127.0.0.1 and a PostgreSQL database, with a GC log so that its heap can be read afterwards.
 */
final class CronhookProcess implements AutoCloseable {
    static final String ADMIN_KEY = "chk_benchmark_admin_key_0123456789abcdef";
    private static final Pattern GC_LINE = Pattern.compile(
            "GC\\(\\d+\\) (Pause [^)]*\\)).*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");

    private final Path jar;
    private final Path dir;
    private final String java;
    private final List<String> jvmOptions;
    private final Map<String, String> env;
    final int port;
    final Path gcLog;
    private Process process;
    private int starts;

    CronhookProcess(Path jar, Path dir, String database, Map<String, String> extraEnv, List<String> jvmOptions) {
        this.jar = jar;
        this.dir = dir;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.jvmOptions = jvmOptions;
        this.port = freePort();
        this.gcLog = dir.resolve("gc.log");
        this.env = new LinkedHashMap<>();
        env.put("CRONHOOK_HOST", "127.0.0.1");
        env.put("CRONHOOK_PORT", Integer.toString(port));
        env.put("CRONHOOK_DATA_DIR", dir.resolve("data").toString());
        env.put("CRONHOOK_DB_URL", Pg.url(database));
        env.put("CRONHOOK_DB_USER", Pg.USER);
        env.put("CRONHOOK_DB_PASSWORD", Pg.PASSWORD);
        env.put("CRONHOOK_ADMIN_KEY", ADMIN_KEY);
        env.putAll(extraEnv);
    }

    Map<String, String> env() {
        return env;
    }

    /** Starts the process and waits until /observe/health answers 200; returns the milliseconds that took. */
    long start() {
        starts++;
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xlog:gc:file=" + gcLog + (starts > 1 ? "." + starts : "") + ":uptime");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("server-" + starts + ".out").toFile())
                .redirectError(dir.resolve("server-" + starts + ".err").toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("CRONHOOK_"));
        builder.environment().putAll(env);
        long begin = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
        long deadline = begin + TimeUnit.SECONDS.toNanos(90);
        try (HttpConn http = new HttpConn(port, null)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + dir);
                }
                try {
                    if (http.get("/observe/health").status() == 200) {
                        return (System.nanoTime() - begin) / 1_000_000;
                    }
                } catch (IllegalStateException e) {
                    // not listening yet
                }
                Bench.sleep(100);
            }
        }
        throw new IllegalStateException("the server did not become healthy within 90 s; see " + dir);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM) and wait for the exit. */
    void stop() {
        if (!alive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Runs a full GC in the server and answers the heap in use after it, in MB (from the GC log). */
    double heapAfterFullGcMb() {
        jcmd("GC.run");
        Bench.sleep(500);
        double after = -1;
        for (GcPause pause : gcPauses()) {
            if (pause.kind().startsWith("Pause Full")) {
                after = pause.afterMb();
            }
        }
        return after;
    }

    String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                    .start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor(60, TimeUnit.SECONDS);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record GcPause(double uptimeSeconds, String kind, double beforeMb, double afterMb, double committedMb, double ms) {
    }

    /** Every pause in the GC log of the current start. */
    List<GcPause> gcPauses() {
        Path log = starts > 1 ? Path.of(gcLog + "." + starts) : gcLog;
        List<GcPause> pauses = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    double uptime = line.startsWith("[") ? Double.parseDouble(line.substring(1, line.indexOf('s'))) : 0;
                    pauses.add(new GcPause(uptime, m.group(1), mb(m.group(2), m.group(3)), mb(m.group(4), m.group(5)),
                            mb(m.group(6), m.group(7)), Double.parseDouble(m.group(8))));
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return pauses;
    }

    private static double mb(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "K" -> v / 1024;
            case "G" -> v * 1024;
            default -> v;
        };
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
