package dev.cronhook.incident.checks;

import dev.cronhook.common.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a check expects its next success ping: a fixed period after the last one, or the next slot of a cron. */
public sealed interface CheckSchedule {

    /** The first moment a success is expected after {@code at}; empty for a cron that has no slot left. */
    Optional<Instant> nextAfter(Instant at);

    record Every(Duration period) implements CheckSchedule {
        @Override
        public Optional<Instant> nextAfter(Instant at) {
            return Optional.of(at.plus(period));
        }
    }

    record Cron(CronSchedule cron) implements CheckSchedule {
        @Override
        public Optional<Instant> nextAfter(Instant at) {
            return cron.nextAfter(at);
        }
    }
}
