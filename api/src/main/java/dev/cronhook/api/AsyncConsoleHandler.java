package dev.cronhook.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes log lines to standard error from one thread of its own, in batches: the line per attempt is logged from the
 * thread that sent the attempt, and JUL's {@code ConsoleHandler} makes every such thread take one lock and flush one
 * write to standard error per line — a fifth of the server's CPU in a burst of thousands of attempts a second, most
 * of it threads spinning on that lock. Here a line is formatted by its own thread, queued, and written with the lines
 * queued beside it, flushed once the queue is empty.
 *
 * <p>Nothing is dropped, and each thread's lines keep their order: when the queue is full the logging thread waits for
 * room (as it would wait for a full standard error), and after {@link #close} (the JVM stopping) every line is
 * written by the thread that logs it, after whatever was still queued.
 */
public final class AsyncConsoleHandler extends Handler {
    private static final int CAPACITY = 8192;
    private static final int BATCH = 512;

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    /** Lines queued or taken by the writer and not yet written. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Writer out;
    private final Thread writer;
    private volatile boolean closing;
    /** Set once the writer thread is gone: lines are written by the threads that log them. */
    private volatile boolean direct;

    public AsyncConsoleHandler() {
        this(System.err);
    }

    AsyncConsoleHandler(OutputStream stream) {
        out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        setFormatter(new LogLineFormatter());
        writer = Thread.ofPlatform().daemon().name("cronhook-log-writer").start(this::writeLoop);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        try {
            while (!direct) {
                pending.incrementAndGet();
                if (queue.offer(line, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
                pending.decrementAndGet();
            }
        } catch (InterruptedException e) {
            pending.decrementAndGet();
            Thread.currentThread().interrupt();
        }
        write(List.of(line));
    }

    private void writeLoop() {
        List<String> batch = new ArrayList<>(BATCH);
        while (!closing || !queue.isEmpty()) {
            String first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                pending.addAndGet(-batch.size());
                batch.clear();
            }
        }
    }

    /**
     * Writes what is still queued, then the lines, and flushes. Only the writer thread takes lines from the queue
     * while it runs; after it, whoever writes first empties the queue, so each thread's lines keep their order.
     */
    private void write(List<String> lines) {
        synchronized (out) {
            try {
                if (direct) {
                    for (String queued = queue.poll(); queued != null; queued = queue.poll()) {
                        out.write(queued);
                        pending.decrementAndGet();
                    }
                }
                for (String line : lines) {
                    out.write(line);
                }
                out.flush();
            } catch (IOException e) {
                reportError(null, e, ErrorManager.WRITE_FAILURE);
            }
        }
    }

    /** Waits (a second at most) until what was logged so far is written. */
    @Override
    public void flush() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (pending.get() > 0 && !direct && System.nanoTime() < until) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Writes what is queued; from now on each line is written by the thread that logs it. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        direct = true;
        write(List.of());
    }
}
