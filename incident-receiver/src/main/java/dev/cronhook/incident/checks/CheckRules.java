package dev.cronhook.incident.checks;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What pings and deadlines do to a check (PRODUCT.md section 11), as Healthchecks.io does it: a success sets it up and
 * expects the next one a period (or a cron slot) later; with none by then plus the grace it goes down; each further
 * period it stays down counts once more; {@code fail} or a non-zero exit code sets it down at once; a {@code start}
 * that no success follows within the grace sets it down too. Pure: the caller passes the time.
 */
public final class CheckRules {

    /** What the check's integration hears: nothing, a trigger (opens or groups its incident) or a resolve. */
    public enum Alarm { NONE, TRIGGER, RESOLVE }

    /**
     * What one ping, deadline or API call did.
     *
     * @param flip null when the status stayed
     * @param note why, for the incident's timeline
     * @param durationMs of the run a success or failure ended, from its {@code start}; null for none
     */
    public record Change(Check check, Flip flip, Alarm alarm, String note, Long durationMs) {
    }

    private CheckRules() {
    }

    /** The status a reader sees at {@code now}: an up check past its expected time is in its grace. */
    public static CheckStatus shown(Check check, Instant now) {
        if (check.status() == CheckStatus.UP && check.nextExpectedAt() != null
                && !now.isBefore(check.nextExpectedAt())) {
            return CheckStatus.GRACE;
        }
        return check.status();
    }

    public static Change ping(Check check, PingKind kind, Integer exitCode, Instant now) {
        long pings = check.pings() + 1;
        if (kind == PingKind.START) {
            Instant due = check.dueAt();
            if (check.status() == CheckStatus.UP && due != null && now.plus(check.grace()).isBefore(due)) {
                due = now.plus(check.grace());
            }
            return new Change(check.withState(check.status(), check.lastPingAt(), now, check.lastDurationMs(),
                    check.nextExpectedAt(), due, pings, now), null, Alarm.NONE, null, null);
        }
        Long duration = check.lastStartAt() == null || check.lastStartAt().isAfter(now) ? null
                : Duration.between(check.lastStartAt(), now).toMillis();
        Instant next = check.schedule().nextAfter(now).orElse(null);
        Instant due = next == null ? null : next.plus(check.grace());
        boolean success = kind == PingKind.SUCCESS;
        CheckStatus to = success ? CheckStatus.UP : CheckStatus.DOWN;
        Check after = check.withState(to, now, null, duration != null ? duration : check.lastDurationMs(), next, due,
                pings, now);
        String note = success ? "success ping"
                : exitCode != null ? "ping with exit code " + exitCode : "fail ping";
        // A check paused (or paused and resumed, which makes it new) while down may still have its incident open.
        Alarm alarm = !success ? Alarm.TRIGGER
                : check.status() == CheckStatus.UP ? Alarm.NONE : Alarm.RESOLVE;
        return new Change(after, flip(check, to, note, now), alarm, note, duration);
    }

    /**
     * The deadline passed with no success: an up check goes down, a down one counts another period. Empty when
     * nothing is due at {@code now}. The next deadline lies after {@code now}, so a check evaluated late (every node
     * was down) counts once, not once per period missed.
     */
    public static Optional<Change> late(Check check, Instant now) {
        boolean armed = check.status() == CheckStatus.UP || check.status() == CheckStatus.DOWN;
        if (!armed || check.dueAt() == null || check.dueAt().isAfter(now)) {
            return Optional.empty();
        }
        Instant expected = check.nextExpectedAt() != null ? check.nextExpectedAt() : now;
        // Due before its expected time plus grace: a start that no success followed in time. The expected time
        // stays, and is the next period it counts if it stays down.
        boolean startRanOut = check.status() == CheckStatus.UP && expected.plus(check.grace()).isAfter(now);
        Instant from = expected.isAfter(now.minus(check.grace())) ? expected : now.minus(check.grace());
        Instant next = startRanOut ? expected : check.schedule().nextAfter(from).orElse(null);
        Instant due = next == null ? null : next.plus(check.grace());
        Check after = check.withState(CheckStatus.DOWN, check.lastPingAt(), check.lastStartAt(),
                check.lastDurationMs(), next, due, check.pings(), now);
        String note;
        if (check.status() == CheckStatus.DOWN) {
            note = "still no success ping, expected by " + time(expected);
        } else if (startRanOut && check.lastStartAt() != null) {
            note = "started at " + time(check.lastStartAt()) + " and no success within its grace of "
                    + check.grace().toSeconds() + " s";
        } else {
            note = "no success ping by " + time(expected) + " plus its grace of " + check.grace().toSeconds() + " s";
        }
        return Optional.of(new Change(after, flip(check, CheckStatus.DOWN, note, now), Alarm.TRIGGER, note, null));
    }

    /** {@code POST /pause}: no flips and no alerts until a ping or {@code /resume}; empty when paused already. */
    public static Optional<Change> pause(Check check, Instant now) {
        if (check.status() == CheckStatus.PAUSED) {
            return Optional.empty();
        }
        Check after = check.withState(CheckStatus.PAUSED, check.lastPingAt(), null, check.lastDurationMs(), null,
                null, check.pings(), now);
        return Optional.of(new Change(after, flip(check, CheckStatus.PAUSED, "paused", now), Alarm.NONE, null, null));
    }

    /** {@code POST /resume}: back to new, waiting for its first ping as Healthchecks.io does; empty unless paused. */
    public static Optional<Change> resume(Check check, Instant now) {
        if (check.status() != CheckStatus.PAUSED) {
            return Optional.empty();
        }
        Check after = check.withState(CheckStatus.NEW, check.lastPingAt(), null, check.lastDurationMs(), null, null,
                check.pings(), now);
        return Optional.of(new Change(after, flip(check, CheckStatus.NEW, "resumed", now), Alarm.NONE, null, null));
    }

    /**
     * Deadlines under a changed period, cron or grace: an up check expects its next success after its last ping by
     * the new rule (so a shorter period can make it late at once), a down one counts its next period from now.
     */
    public static Check redefined(Check check, Instant now) {
        Instant next = switch (check.status()) {
            case UP -> check.schedule().nextAfter(check.lastPingAt() != null ? check.lastPingAt() : now).orElse(null);
            case DOWN -> check.schedule().nextAfter(now).orElse(null);
            case NEW, PAUSED, GRACE -> null;
        };
        Instant due = next == null ? null : next.plus(check.grace());
        // A run under way still has its start's deadline, when that comes first.
        if (check.status() == CheckStatus.UP && check.lastStartAt() != null && due != null
                && check.lastStartAt().plus(check.grace()).isBefore(due)) {
            due = check.lastStartAt().plus(check.grace());
        }
        return check.withState(check.status(), check.lastPingAt(), check.lastStartAt(), check.lastDurationMs(), next,
                due, check.pings(), now);
    }

    private static Flip flip(Check check, CheckStatus to, String reason, Instant now) {
        return check.status() == to ? null : new Flip(check.id(), check.version() + 1, check.status(), to, reason, now);
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
