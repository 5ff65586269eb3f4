package dev.cronhook.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class AsyncConsoleHandlerTest {

    @Test
    void everyLineOfManyThreadsIsWrittenWholeAndInEachThreadsOrderByTheTimeItCloses() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncConsoleHandler handler = new AsyncConsoleHandler(out);
        int threads = 16;
        int each = 2_000; // together four times the queue: some threads wait for room
        try (ExecutorService loggers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                loggers.execute(() -> {
                    for (int i = 0; i < each; i++) {
                        LogRecord record = new LogRecord(Level.INFO, "attempt thread=" + thread + " n=" + i);
                        record.setLoggerName("test");
                        handler.publish(record);
                    }
                });
            }
        }
        handler.close();
        LogRecord late = new LogRecord(Level.INFO, "after close");
        late.setLoggerName("test");
        handler.publish(late);

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(threads * each + 1, lines.size());
        assertTrue(lines.getLast().endsWith("INFO test - after close"), lines.getLast());
        List<Integer> next = new ArrayList<>(java.util.Collections.nCopies(threads, 0));
        for (String line : lines.subList(0, lines.size() - 1)) {
            int at = line.indexOf("attempt thread=");
            assertTrue(at > 0, line);
            String[] parts = line.substring(at).split("[= ]");
            int thread = Integer.parseInt(parts[2]);
            int n = Integer.parseInt(parts[4]);
            assertEquals(next.get(thread), n, "thread " + thread + "'s lines in order");
            next.set(thread, n + 1);
        }
    }
}
