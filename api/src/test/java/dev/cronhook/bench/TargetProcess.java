package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@link BenchTarget} in a JVM of its own, and the driver's view of its report. */
final class TargetProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    final int port;
    private final HttpConn control;

    TargetProcess(Path dir) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms512m", "-Xmx2g", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), BenchTarget.class.getName()));
        try {
            process = new ProcessBuilder(command).redirectError(dir.resolve("target.err").toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
            String line = out.readLine();
            if (line == null || !line.startsWith("port=")) {
                throw new IllegalStateException("the target did not start; see " + dir.resolve("target.err"));
            }
            port = Integer.parseInt(line.substring(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        control = new HttpConn(port, null);
    }

    long pid() {
        return process.pid();
    }

    String url(String group, int delayMillis, int status) {
        StringBuilder url = new StringBuilder("http://127.0.0.1:").append(port).append("/j?g=").append(group);
        if (delayMillis > 0) {
            url.append("&d=").append(delayMillis);
        }
        if (status != 200) {
            url.append("&s=").append(status);
        }
        return url.toString();
    }

    synchronized void reset() {
        control.post("/_reset", null);
    }

    /** The numbers of every group, as the target's JSON. */
    synchronized JsonNode report() {
        try {
            return JSON.readTree(control.get("/_report").body()).get("groups");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests counted so far in one group. */
    synchronized long count(String group) {
        try {
            JsonNode node = JSON.readTree(control.get("/_counts").body()).get(group);
            return node == null ? 0 : node.asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        control.close();
        process.destroy();
    }
}
