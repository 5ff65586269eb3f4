package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged server ({@code api/target/cronhook.jar}, passed by failsafe as the {@code cronhook.jar} system property)
 * run as a separate process with the test JVM's own {@code java}, bound to 127.0.0.1 on a free port, with a fresh
 * data folder. Standard output and standard error of each start go to their own files under
 * {@code target/e2e/logs/} for diagnosis. {@link #restart()} keeps the port, the data folder and the environment.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    // The graceful stop ends within the shutdown grace (10 s by default) and a few seconds; this bound is generous.
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Path WORK = Path.of("target", "e2e").toAbsolutePath();
    /** Processes still running if the test JVM ends abruptly: never leave a server behind. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "e2e-server-reaper"));
    }

    private final String name;
    private final int port;
    private final Path dataDir;
    private final Map<String, String> env;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private Process process;
    private int starts;
    private Path stdout;
    private Path stderr;

    private ServerProcess(String name, Map<String, String> env) {
        this.name = name;
        this.port = freePort();
        try {
            this.dataDir = Files.createDirectories(WORK.resolve("data"))
                    .resolve(name + "-" + System.currentTimeMillis() + "-" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.env = new LinkedHashMap<>(env);
    }

    /**
     * Starts a server and waits until {@code /observe/health} answers 200. {@code env} adds to (and may override)
     * CRONHOOK_HOST=127.0.0.1, CRONHOOK_PORT and CRONHOOK_DATA_DIR; every other CRONHOOK_ variable of the test
     * JVM's environment is removed so that only what a test sets applies.
     */
    static ServerProcess start(String name, Map<String, String> env) {
        ServerProcess server = new ServerProcess(name, env);
        server.launch();
        return server;
    }

    int port() {
        return port;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    Path dataDir() {
        return dataDir;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Everything the current (or last) start wrote to standard output so far. */
    String stdout() {
        return read(stdout);
    }

    /** Everything the current (or last) start wrote to standard error so far. */
    String stderr() {
        return read(stderr);
    }

    /** Graceful stop as an operator does it: SIGTERM ({@link Process#destroy()}), then wait for the exit. */
    int stop() {
        if (process == null) {
            return -1;
        }
        Process p = process;
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                RUNNING.remove(p);
                fail("the server did not stop within " + STOP_TIMEOUT + " of SIGTERM" + diagnosis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        RUNNING.remove(p);
        return p.exitValue();
    }

    /** A crash: SIGKILL, no graceful stop, nothing handed over. */
    void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(p);
    }

    /** Stops (if running) and starts again on the same port, data folder and environment. */
    void restart() {
        if (isAlive()) {
            stop();
        }
        launch();
    }

    /** Starts again after {@link #stop()}. */
    void startAgain() {
        if (isAlive()) {
            throw new IllegalStateException("the server is running");
        }
        launch();
    }

    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }

    /** The log files and their last lines, to append to a failure message. */
    String diagnosis() {
        return "\n--- " + stdout + " (tail)\n" + tail(stdout()) + "\n--- " + stderr + " (tail)\n" + tail(stderr());
    }

    private void launch() {
        String jar = System.getProperty("cronhook.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("system property cronhook.jar must name the packaged server jar (failsafe sets it); got " + jar);
        }
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs the tests"));
        starts++;
        try {
            Path logs = Files.createDirectories(WORK.resolve("logs"));
            stdout = logs.resolve(name + "-" + port + "-start" + starts + "-stdout.log");
            stderr = logs.resolve(name + "-" + port + "-start" + starts + "-stderr.log");
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-jar", jar))
                    .directory(WORK.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(key -> key.startsWith("CRONHOOK_"));
            environment.put("CRONHOOK_HOST", "127.0.0.1");
            environment.put("CRONHOOK_PORT", Integer.toString(port));
            environment.put("CRONHOOK_DATA_DIR", dataDir.toString());
            environment.putAll(env);
            process = builder.start();
            RUNNING.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
        awaitHealthy();
    }

    private void awaitHealthy() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest health = HttpRequest.newBuilder(baseUri().resolve("/observe/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                RUNNING.remove(process);
                fail("the server exited with " + process.exitValue() + " before it was ready" + diagnosis());
            }
            try {
                HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        fail("the server did not answer /observe/health with 200 within " + START_TIMEOUT + " (last: " + last + ")"
                + diagnosis());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        if (file == null || !Files.exists(file)) {
            return "";
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
