package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.cron.CronInput;
import dev.cronhook.common.cron.CronSchedule;
import dev.cronhook.delivery.signing.WebhookSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.function.BiFunction;

/** What the API can do with jobs: create, read, change, pause, resume, delete, rotate their secret. */
public final class JobService {
    /** After a rotation the old secret keeps signing alongside the new one for this long. */
    public static final Duration SECRET_OVERLAP = Duration.ofHours(24);
    private static final int MAX_WRITE_TRIES = 5;
    /** The width of the jobs.paused_reason column. */
    static final int MAX_REASON_CHARS = 500;

    private final JobRepository jobs;
    private final JobValidator validator;
    private final Schedules schedules;
    private final JobRuns runs;
    private final PrefixedIds ids;
    private final Clock clock;

    public JobService(JobRepository jobs, JobValidator validator, Schedules schedules, JobRuns runs, PrefixedIds ids,
                      Clock clock) {
        this.jobs = jobs;
        this.validator = validator;
        this.schedules = schedules;
        this.runs = runs;
        this.ids = ids;
        this.clock = clock;
    }

    public Job create(JobDraft input) {
        JobDefinition definition = validator.forCreate(input);
        Instant now = clock.instant();
        Job job = new Job(ids.next("job"), definition,
                definition.type() == JobType.ONCE ? OnceStatus.SCHEDULED : null,
                definition.enabled() ? firstRun(definition, now) : null, null, 0,
                new SigningSecrets(WebhookSecret.generate(), null, null), now, now);
        jobs.insert(job);
        runs.offer(job.id());
        return job;
    }

    public Job get(String id) {
        return asSeen(stored(id).job(), clock.instant());
    }

    /** @param nameContains jobs whose name holds this, in any case ({@code ?q=}); null for all */
    public Page<Job> list(JobType type, Boolean enabled, String nameContains, String cursor, int limit) {
        Instant now = clock.instant();
        List<Job> page = jobs.list(type, enabled, nameContains, cursor, limit + 1).stream().map(job -> asSeen(job, now)).toList();
        return Page.of(page, limit, Job::id);
    }

    /**
     * A one-time job is claimed up to the lookahead before its time, which marks it running in the database; until
     * its time has come it is, for its users, still scheduled.
     */
    private static Job asSeen(Job job, Instant now) {
        if (claimedNotStarted(job, now)) {
            return new Job(job.id(), job.definition(), OnceStatus.SCHEDULED, job.definition().runAt(),
                    job.pausedReason(), job.missedRuns(), job.secrets(), job.createdAt(), job.updatedAt());
        }
        return job;
    }

    private static boolean claimedNotStarted(Job job, Instant now) {
        return job.type() == JobType.ONCE && job.status() == OnceStatus.RUNNING && job.definition().runAt() != null
                && job.definition().runAt().isAfter(now);
    }

    public Job update(String id, JobDraft patch) {
        return write(id, (job, now) -> {
            JobDefinition definition = validator.forPatch(job.definition(), patch);
            boolean moved = definition.scheduleDiffers(job.definition());
            if (moved && job.status() == OnceStatus.RUNNING && !claimedNotStarted(job, now)) {
                throw new DomainException.Conflict("the job is running; change its schedule after the run ends");
            }
            if (moved && job.status() == OnceStatus.RETRYING) {
                throw new DomainException.Conflict("the job is retrying; change its schedule after its retries end");
            }
            OnceStatus status = definition.type() == JobType.CRON ? null
                    : moved || job.type() == JobType.CRON ? OnceStatus.SCHEDULED : job.status();
            Instant next = job.nextRunAt();
            if (moved || definition.enabled() != job.definition().enabled() || definition.type() != job.type()) {
                next = plannedRun(definition, status, now);
            }
            // A pause by PATCH says no reason, and a job running again has none.
            String reason = definition.enabled() == job.definition().enabled() ? job.pausedReason() : null;
            return new Job(job.id(), definition, status, next, reason, job.missedRuns(), job.secrets(), job.createdAt(),
                    now);
        }, true);
    }

    public void delete(String id) {
        if (!jobs.delete(id)) {
            throw new DomainException.NotFound("no job " + id);
        }
        runs.takeBack(id);
    }

    /** Pauses the job; {@code reason}, when given, is shown with it until it resumes. */
    public Job pause(String id, String reason) {
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON_CHARS)) {
            throw DomainException.Invalid.of("reason", "must be 1 to " + MAX_REASON_CHARS + " characters, not blank");
        }
        return write(id, (job, now) -> !job.definition().enabled() && java.util.Objects.equals(reason,
                job.pausedReason()) ? job : new Job(job.id(), job.definition().withEnabled(false), job.status(), null,
                reason, job.missedRuns(), job.secrets(), job.createdAt(), now), true);
    }

    /** Resumes from now on: missed cron runs are not replayed; a one-time job that never ran runs (at once if due). */
    public Job resume(String id) {
        return write(id, (job, now) -> {
            if (job.definition().enabled()) {
                return job;
            }
            JobDefinition definition = job.definition().withEnabled(true);
            return new Job(job.id(), definition, job.status(), plannedRun(definition, job.status(), now), null,
                    job.missedRuns(), job.secrets(), job.createdAt(), now);
        }, false);
    }

    public Job rotateSecret(String id) {
        return write(id, (job, now) -> new Job(job.id(), job.definition(), job.status(), job.nextRunAt(),
                job.pausedReason(), job.missedRuns(), new SigningSecrets(WebhookSecret.generate(), job.secrets().current(), now.plus(SECRET_OVERLAP)),
                job.createdAt(), now), false);
    }

    /** The next fire times by the job's schedule (for a one-time job, its run_at while it is still to run). */
    public List<Instant> nextRuns(String id, int count) {
        Job job = get(id);  // as seen: a claimed one-time job still shows its run
        if (job.type() == JobType.ONCE) {
            return job.status() == OnceStatus.SCHEDULED ? List.of(job.definition().runAt()) : List.of();
        }
        return schedules.nextRuns(job.definition(), clock.instant(), count);
    }

    /** Most runs a cron preview answers. */
    public static final int MAX_PREVIEW = 100;

    /**
     * {@code POST /v1/cron/preview}: the next {@code count} runs of {@code cron} in {@code timezone} (UTC when null)
     * from now, checked exactly as a cron job's schedule is ({@link CronInput}), so that a form never disagrees with the
     * scheduler.
     *
     * @throws DomainException.Invalid naming {@code cron}, {@code timezone} or {@code count}
     */
    public List<Instant> previewCron(String cron, String timezone, int count) {
        FieldErrors errors = new FieldErrors();
        if (count < 1 || count > MAX_PREVIEW) {
            errors.add("count", "must be from 1 to " + MAX_PREVIEW);
        }
        ZoneId zone = CronInput.zone(timezone, errors);
        CronSchedule schedule = CronInput.schedule(cron, zone == null ? ZoneId.of("UTC") : zone, clock.instant(),
                errors);
        errors.throwIfAny();
        return schedule.next(clock.instant(), count);
    }

    private JobRepository.StoredJob stored(String id) {
        return jobs.find(id).orElseThrow(() -> new DomainException.NotFound("no job " + id));
    }

    /**
     * Read, change, write conditionally on the row version (a tick may claim a run meanwhile), then let the engine
     * drop claimed runs that no longer apply and claim a run now due.
     */
    private Job write(String id, BiFunction<Job, Instant, Job> change, boolean cancelClaimed) {
        for (int attempt = 0; attempt < MAX_WRITE_TRIES; attempt++) {
            JobRepository.StoredJob stored = stored(id);
            Job changed = change.apply(stored.job(), clock.instant());
            if (changed == stored.job()) {
                return changed;
            }
            if (jobs.update(changed, stored.version())) {
                if (cancelClaimed && (changed.definition().scheduleDiffers(stored.job().definition())
                        || !changed.definition().enabled())) {
                    // Its claimed run never started: the one-time job is still to run (on resume), not running.
                    if (runs.takeBack(id) && jobs.unclaimOnce(id, clock.instant())) {
                        changed = stored(id).job();
                    }
                }
                runs.offer(id);
                return changed;
            }
        }
        throw new DomainException.Conflict("the job changed while it was being updated; try again");
    }

    private Instant firstRun(JobDefinition definition, Instant now) {
        return definition.type() == JobType.ONCE ? definition.runAt() : schedules.nextRun(definition, now);
    }

    private Instant plannedRun(JobDefinition definition, OnceStatus status, Instant now) {
        if (!definition.enabled()) {
            return null;
        }
        if (definition.type() == JobType.ONCE) {
            return status == OnceStatus.SCHEDULED ? definition.runAt() : null;
        }
        return schedules.nextRun(definition, now);
    }
}
