package dev.cronhook.delivery;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A bulkhead per destination (host and port) on the requests in flight to it, so that one slow or
 * hanging host can hold at most {@code limit} requests and never starve the others.
 *
 * <p>Bulkheads of destinations that have had nothing in flight for {@code idleAfter} are dropped,
 * so memory follows the destinations in recent use, not every host ever called.
 */
final class HostBulkheads {

    /** A held place in one destination's bulkhead; releasing it again does nothing. */
    interface Permit {
        void release();
    }

    private static final class Entry {
        final Bulkhead bulkhead;
        final AtomicLong lastReleased;

        Entry(Bulkhead bulkhead, long now) {
            this.bulkhead = bulkhead;
            this.lastReleased = new AtomicLong(now);
        }
    }

    private final int limit;
    private final BulkheadConfig config;
    private final long idleAfterNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    HostBulkheads(int limit, Duration idleAfter, LongSupplier nanoTime) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.config = BulkheadConfig.custom()
                .maxConcurrentCalls(limit)
                .maxWaitDuration(Duration.ZERO)
                .build();
        this.idleAfterNanos = idleAfter.toNanos();
        this.nanoTime = nanoTime;
        this.nextSweep = new AtomicLong(nanoTime.getAsLong() + idleAfterNanos);
    }

    /** The destination a URL connects to: {@code host:port}, with the scheme's default port. */
    static String destination(URI url) {
        int port = url.getPort() >= 0
                ? url.getPort()
                : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    int limit() {
        return limit;
    }

    /** A permit, or null when {@code limit} requests to the destination are already in flight. */
    Permit tryAcquire(String destination) {
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        boolean[] acquired = new boolean[1];
        // Acquiring inside compute() excludes a concurrent sweep from dropping the bulkhead
        // between lookup and acquisition, which would let a second bulkhead admit more.
        Entry entry = entries.compute(destination, (key, existing) -> {
            Entry current = existing != null ? existing : new Entry(Bulkhead.of(key, config), now);
            acquired[0] = current.bulkhead.tryAcquirePermission();
            return current;
        });
        if (!acquired[0]) {
            return null;
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                entry.lastReleased.set(nanoTime.getAsLong());
                entry.bulkhead.onComplete();
            }
        };
    }

    /** How many destinations currently have a bulkhead. */
    int size() {
        return entries.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + idleAfterNanos)) {
            return;
        }
        for (String destination : entries.keySet()) {
            entries.computeIfPresent(destination, (key, entry) -> isIdle(entry, now) ? null : entry);
        }
    }

    private boolean isIdle(Entry entry, long now) {
        return entry.bulkhead.getMetrics().getAvailableConcurrentCalls() == limit
                && now - entry.lastReleased.get() >= idleAfterNanos;
    }
}
