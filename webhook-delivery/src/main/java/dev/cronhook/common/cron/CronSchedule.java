package dev.cronhook.common.cron;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A crontab(5) schedule evaluated in a time zone.
 *
 * <h2>Syntax</h2>
 * Five fields {@code minute hour day-of-month month day-of-week}, or six with a leading
 * {@code second} field; the five-field form fires at second 0. Each field is a comma-separated
 * list of {@code *}, {@code a}, {@code a-b}, {@code *}{@code /n}, {@code a-b/n} or {@code a/n}
 * (short for {@code a-max/n}, as cronie accepts). Months and weekdays may be given as
 * case-insensitive three-letter names, also in ranges; day-of-week 0 and 7 are both Sunday, and a
 * range ending in {@code SUN} (e.g. {@code FRI-SUN}) runs through Sunday. The macros
 * {@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly}, {@code @daily},
 * {@code @midnight} and {@code @hourly} stand for their usual expansions; {@code @reboot} is
 * rejected because a scheduler has no reboot. Quartz's {@code ?} is rejected.
 *
 * <h2>Day rule (Vixie cron / cronie)</h2>
 * A field "is a star" when its text begins with {@code *}, including {@code *}{@code /2}.
 * If day-of-month or day-of-week is a star, a day must match both fields. If neither is, a day
 * matching either fires: {@code 0 0 1 * 1} runs on the 1st and on every Monday, while
 * {@code 0 0 *}{@code /2 * 1} runs only on Mondays with an odd day of the month.
 *
 * <h2>Time zones and daylight saving</h2>
 * Matching happens on the wall clock of {@link #zone()}; each matching wall-clock time becomes an
 * instant as {@link ZonedDateTime#ofLocal} would resolve it:
 * <ul>
 *   <li>A time skipped by a spring-forward gap fires shifted forward by the gap length, so a
 *       daily 02:30 job in America/New_York fires at 03:30 EDT on that day.</li>
 *   <li>A time repeated by a fall-back overlap fires once, at its first (earlier-offset)
 *       occurrence. This holds for every expression: {@code 0 * * * *} fires 24 times on a
 *       25-hour fall-back day and {@code *}{@code /30 * * * *} pauses for 90 minutes.</li>
 *   <li>Different wall-clock times that resolve to the same instant (02:00 shifted onto 03:00
 *       when both match) fire once: {@code 0 * * * *} fires 23 times on a spring-forward day.</li>
 * </ul>
 * Fire times are whole seconds, returned in strictly increasing order, each strictly after the
 * instant asked about.
 *
 * <p>The search looks at most {@value #SEARCH_YEARS} years ahead, the longest gap between two
 * 29ths of February (2096 to 2104); beyond that a schedule is treated as never firing.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CronSchedule {

    static final int SEARCH_YEARS = 8;

    private final String expression;
    private final ZoneId zone;
    private final CronPattern pattern;

    private CronSchedule(String expression, ZoneId zone, CronPattern pattern) {
        this.expression = expression;
        this.zone = zone;
        this.pattern = pattern;
    }

    /**
     * Parses a crontab(5) expression for the given zone.
     *
     * @throws InvalidCronException with a user-facing message naming the offending field
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (expression == null || expression.isBlank()) {
            throw new InvalidCronException("cron expression is empty");
        }
        String trimmed = expression.strip();
        return new CronSchedule(trimmed, zone, CronPattern.parse(trimmed));
    }

    /** The expression as given, without surrounding whitespace. */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first fire time strictly after {@code after}, or empty when the expression never fires. */
    public Optional<Instant> nextAfter(Instant after) {
        Objects.requireNonNull(after, "after");
        Instant earliest = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        ZonedDateTime start = earliest.atZone(zone);
        LocalDateTime horizon = start.toLocalDateTime().plusYears(SEARCH_YEARS);

        // Fire times come from two sources: instants whose own wall-clock time matches, and
        // matching wall-clock times that a gap skipped, shifted forward. Take the earlier.
        Optional<Instant> onClock = nextOnWallClock(start, horizon);
        Instant bound = onClock.orElseGet(() -> horizon.atZone(zone).toInstant());
        Optional<Instant> shifted = nextShiftedOutOfGap(earliest, bound);
        return shifted.isPresent() ? shifted : onClock;
    }

    /** Up to {@code count} fire times strictly after {@code after}, in increasing order. */
    public List<Instant> next(Instant after, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<Instant> runs = new ArrayList<>(Math.min(count, 1000));
        Instant cursor = after;
        while (runs.size() < count) {
            Optional<Instant> run = nextAfter(cursor);
            if (run.isEmpty()) {
                break;
            }
            cursor = run.get();
            runs.add(cursor);
        }
        return runs;
    }

    /**
     * The first instant at or after {@code start} whose wall-clock time matches, counting a
     * repeated wall-clock time only at its first occurrence.
     */
    private Optional<Instant> nextOnWallClock(ZonedDateTime start, LocalDateTime horizon) {
        LocalDateTime from = start.toLocalDateTime();
        ZoneOffsetTransition transition = zone.getRules().getTransition(from);
        if (transition != null && start.getOffset().equals(transition.getOffsetAfter())) {
            // Second pass through a repeated hour: its wall-clock times fired on the first pass.
            from = transition.getDateTimeBefore();
        }
        while (true) {
            Optional<LocalDateTime> match = pattern.firstMatch(from, horizon);
            if (match.isEmpty()) {
                return Optional.empty();
            }
            ZoneOffsetTransition gap = zone.getRules().getTransition(match.get());
            if (gap == null || gap.isOverlap()) {
                return match.map(this::resolve); // an overlap resolves to its earlier offset
            }
            from = gap.getDateTimeAfter(); // no instant shows this time; nextShiftedOutOfGap covers it
        }
    }

    /**
     * The first instant in [{@code earliest}, {@code bound}) produced by shifting a matching
     * wall-clock time out of a spring-forward gap.
     */
    private Optional<Instant> nextShiftedOutOfGap(Instant earliest, Instant bound) {
        ZoneRules rules = zone.getRules();
        ZoneOffsetTransition transition = rules.previousTransition(earliest);
        if (transition == null) {
            transition = rules.nextTransition(earliest.minusSeconds(1));
        }
        for (; transition != null && transition.getInstant().isBefore(bound);
             transition = rules.nextTransition(transition.getInstant())) {
            // Shifting a gap time forward by the gap length lands it where the old offset would
            // have put it, i.e. in [transition, transition + gap length).
            Instant windowEnd = transition.getInstant().plus(transition.getDuration());
            if (transition.isOverlap() || !windowEnd.isAfter(earliest)) {
                continue;
            }
            Instant from = earliest.isAfter(transition.getInstant()) ? earliest : transition.getInstant();
            LocalDateTime localFrom = LocalDateTime.ofInstant(from, transition.getOffsetBefore());
            Optional<Instant> shifted = pattern.firstMatch(localFrom, transition.getDateTimeAfter())
                    .map(this::resolve)
                    .filter(instant -> instant.isBefore(bound));
            if (shifted.isPresent()) {
                return shifted;
            }
        }
        return Optional.empty();
    }

    private Instant resolve(LocalDateTime local) {
        return ZonedDateTime.ofLocal(local, zone, null).toInstant();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule that
                && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
