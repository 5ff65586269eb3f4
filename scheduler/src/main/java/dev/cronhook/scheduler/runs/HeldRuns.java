package dev.cronhook.scheduler.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this node has claimed and whose outcome it has not yet stored. While a run is held its lease in the
 * database is renewed before it runs out, and this node never takes one of its own runs for abandoned: a run that
 * waits long in a busy node's queue, or whose outcome waits long for the writer, is not sent a second time.
 */
public final class HeldRuns {
    private record Held(ClaimedRun run, Instant renewAt) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration leaseGrace;

    public HeldRuns(Clock clock, Duration leaseGrace) {
        this.clock = clock;
        this.leaseGrace = leaseGrace;
    }

    /** From its claim on. The lease the claim wrote runs out at its start + timeout + grace; renewed half a grace early. */
    void hold(ClaimedRun run) {
        Instant now = clock.instant();
        Instant start = run.dueAt().isAfter(now) ? run.dueAt() : now;
        held.put(run.executionId(), new Held(run, renewAt(run, start)));
    }

    /** Its outcome is stored, or the run was taken back before it started. */
    public void release(Collection<String> executionIds) {
        executionIds.forEach(held::remove);
    }

    boolean holds(String executionId) {
        return held.containsKey(executionId);
    }

    /** Renews the leases that would run out within half a grace; one statement per job timeout among them. */
    void renewExpiring(ExecutionRepository executions) {
        Instant now = clock.instant();
        Map<Integer, List<String>> byTimeout = new HashMap<>();
        for (Held entry : held.values()) {
            if (!entry.renewAt().isAfter(now)) {
                byTimeout.computeIfAbsent(entry.run().job().definition().timeoutSeconds(), k -> new ArrayList<>())
                        .add(entry.run().executionId());
            }
        }
        byTimeout.forEach((timeout, ids) -> {
            executions.extendLeases(ids, now.plusSeconds(timeout).plus(leaseGrace));
            for (String id : ids) {
                held.computeIfPresent(id, (k, entry) -> new Held(entry.run(), renewAt(entry.run(), now)));
            }
        });
    }

    private Instant renewAt(ClaimedRun run, Instant start) {
        return start.plusSeconds(run.job().definition().timeoutSeconds()).plus(leaseGrace.dividedBy(2));
    }
}
