package dev.cronhook.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP endpoint the benchmark's jobs call, run in a JVM of its own. One virtual thread per keep-alive
 * connection; a request line such as {@code POST /j?g=s2&d=1000&s=500} selects the group its numbers go to, the
 * delay before answering (ms) and the status answered (default 200). For every job request it records arrival
 * minus {@code X-Cronhook-Scheduled-For} and repeats of {@code X-Cronhook-Execution-Id} + {@code X-Cronhook-Attempt}.
 *
 * <p>Control: {@code GET /_report} answers every group's numbers as JSON, {@code GET /_counts} only the request
 * counts, {@code POST /_reset} forgets them.
 * Prints {@code port=<n>} on standard output once it listens.
 */
public final class BenchTarget {
    private static final byte[] OK_BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, TargetGroup> groups = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8192);
        System.out.println("port=" + server.getLocalPort());
        System.out.flush();
        BenchTarget target = new BenchTarget();
        while (true) {
            Socket socket = server.accept();
            Thread.ofVirtual().start(() -> target.serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4 * 1024);
            RequestHead head = new RequestHead();
            while (head.read(in)) {
                head.skipBody(in);
                if (head.path.startsWith("/_")) {
                    control(head, out);
                } else {
                    job(head, out);
                }
                if (head.close) {
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away; nothing to record
        }
    }

    private void job(RequestHead head, OutputStream out) throws IOException {
        Instant arrival = Instant.now();
        String group = head.param("g", "default");
        int delay = Integer.parseInt(head.param("d", "0"));
        int status = Integer.parseInt(head.param("s", "200"));
        long lagMicros = Long.MIN_VALUE;
        if (head.scheduledFor != null) {
            try {
                Instant scheduled = Instant.parse(head.scheduledFor);
                lagMicros = (arrival.getEpochSecond() - scheduled.getEpochSecond()) * 1_000_000L
                        + (arrival.getNano() - scheduled.getNano()) / 1000;
            } catch (DateTimeParseException e) {
                // counted without a lag
            }
        }
        boolean duplicate = head.executionId != null && !seen.add(head.executionId + "#" + head.attempt);
        long arrivalMicros = arrival.getEpochSecond() * 1_000_000L + arrival.getNano() / 1000;
        groups.computeIfAbsent(group, g -> new TargetGroup())
                .record(arrivalMicros, lagMicros, duplicate, head.attempt);
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        respond(out, status, OK_BODY, "text/plain");
    }

    private void control(RequestHead head, OutputStream out) throws IOException {
        switch (head.path) {
            case "/_report" -> {
                StringBuilder json = new StringBuilder("{\"groups\":{");
                Map<String, TargetGroup> sorted = new TreeMap<>(groups);
                boolean first = true;
                for (var entry : sorted.entrySet()) {
                    json.append(first ? "" : ",").append('"').append(entry.getKey()).append("\":");
                    entry.getValue().appendJson(json);
                    first = false;
                }
                json.append("}}");
                respond(out, 200, json.toString().getBytes(StandardCharsets.UTF_8), "application/json");
            }
            case "/_counts" -> {
                StringBuilder json = new StringBuilder("{");
                groups.forEach((name, group) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                        .append("\":").append(group.count()));
                json.append('}');
                respond(out, 200, json.toString().getBytes(StandardCharsets.UTF_8), "application/json");
            }
            case "/_reset" -> {
                groups.clear();
                seen.clear();
                respond(out, 204, new byte[0], "text/plain");
            }
            default -> respond(out, 404, new byte[0], "text/plain");
        }
    }

    private static void respond(OutputStream out, int status, byte[] body, String type) throws IOException {
        String head = "HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Error") + "\r\nContent-Type: " + type
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The parts of a request head the target needs, parsed without allocating a header map. */
    private static final class RequestHead {
        private final byte[] line = new byte[8192];
        String path;
        String query;
        String scheduledFor;
        String executionId;
        int attempt;
        long contentLength;
        boolean chunked;
        boolean close;

        boolean read(InputStream in) throws IOException {
            String requestLine = readLine(in);
            if (requestLine == null) {
                return false;
            }
            while (requestLine.isEmpty()) {
                requestLine = readLine(in);
                if (requestLine == null) {
                    return false;
                }
            }
            int sp1 = requestLine.indexOf(' ');
            int sp2 = requestLine.indexOf(' ', sp1 + 1);
            String target = requestLine.substring(sp1 + 1, sp2 < 0 ? requestLine.length() : sp2);
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
            query = q < 0 ? "" : target.substring(q + 1);
            scheduledFor = null;
            executionId = null;
            attempt = 0;
            contentLength = 0;
            chunked = false;
            close = false;
            while (true) {
                String header = readLine(in);
                if (header == null) {
                    return false;
                }
                if (header.isEmpty()) {
                    return true;
                }
                int colon = header.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = header.substring(0, colon);
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("X-Cronhook-Scheduled-For")) {
                    scheduledFor = value;
                } else if (name.equalsIgnoreCase("X-Cronhook-Execution-Id")) {
                    executionId = value;
                } else if (name.equalsIgnoreCase("X-Cronhook-Attempt")) {
                    attempt = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
        }

        void skipBody(InputStream in) throws IOException {
            if (chunked) {
                while (true) {
                    String size = readLine(in);
                    if (size == null) {
                        throw new IOException("eof in chunked body");
                    }
                    int semi = size.indexOf(';');
                    long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (n == 0) {
                        while (true) {
                            String trailer = readLine(in);
                            if (trailer == null || trailer.isEmpty()) {
                                return;
                            }
                        }
                    }
                    in.skipNBytes(n);
                    readLine(in);
                }
            }
            in.skipNBytes(contentLength);
        }

        String param(String name, String fallback) {
            int from = 0;
            while (from < query.length()) {
                int amp = query.indexOf('&', from);
                int end = amp < 0 ? query.length() : amp;
                int eq = query.indexOf('=', from);
                if (eq > 0 && eq < end && query.regionMatches(from, name, 0, name.length()) && eq - from == name.length()) {
                    return query.substring(eq + 1, end);
                }
                from = end + 1;
            }
            return fallback;
        }

        private String readLine(InputStream in) throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return n == 0 ? null : new String(line, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (b == '\n') {
                    if (n > 0 && line[n - 1] == '\r') {
                        n--;
                    }
                    return new String(line, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (n == line.length) {
                    throw new IOException("header line too long");
                }
                line[n++] = (byte) b;
            }
        }
    }
}
