package dev.cronhook.scheduler.runs;

import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRepository;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pause_after_failures} (PRODUCT.md section 10): counts each cron job's executions that ended failed in a row
 * — a success resets the count — and pauses the job when the count reaches its threshold. Runs in the outcome
 * writer's transaction: one read and a few writes for a batch, and nothing at all for jobs without a threshold.
 */
final class FailureStreaks {
    private final JobRepository jobs;

    FailureStreaks(JobRepository jobs) {
        this.jobs = jobs;
    }

    /** A job this batch paused, and why. */
    record Paused(Job job, String reason) {
    }

    /** An execution of a job that ended: failed, or succeeded. */
    record Ended(String jobId, boolean failed) {
    }

    /** What a batch does to the streaks: the new count of each job it touched, and the jobs to pause with why. */
    record Decision(Map<String, Integer> streaks, Map<String, String> pause) {
    }

    static String reason(int failures) {
        return "paused after " + failures + (failures == 1 ? " failed execution" : " failed executions") + " in a row";
    }

    /** Counts the ended executions of this batch; returns the jobs it paused. */
    List<Paused> count(DbExecute tx, List<FinishedAttempt> attempts, Instant now) {
        Map<String, Job> counted = new LinkedHashMap<>();
        List<Ended> ended = new ArrayList<>();
        for (FinishedAttempt attempt : attempts) {
            Job job = attempt.run().job();
            // The job as claimed tells whether it may count at all; the threshold is read as it is now.
            if (job.definition().pauseAfterFailures() != null && attempt.status() != ExecutionStatus.RETRY_SCHEDULED) {
                counted.put(job.id(), job);
                ended.add(new Ended(job.id(), attempt.status() == ExecutionStatus.FAILED));
            }
        }
        if (ended.isEmpty()) {
            return List.of();
        }
        Decision decision = decide(jobs.failureStreaks(tx, List.copyOf(counted.keySet())), ended);
        jobs.setFailureStreaks(tx, decision.streaks());
        List<Paused> paused = new ArrayList<>();
        decision.pause().forEach((jobId, reason) -> {
            if (jobs.pause(tx, jobId, reason, now)) {
                paused.add(new Paused(counted.get(jobId), reason));
            }
        });
        return paused;
    }

    /**
     * The rule, in the order the executions ended: a failure adds one, a success resets to zero; a running job whose
     * count reaches its threshold pauses (its count then starts anew). Paused jobs and deleted ones are left alone.
     */
    static Decision decide(Map<String, JobRepository.Streak> before, List<Ended> ended) {
        Map<String, Integer> streaks = new LinkedHashMap<>();
        Map<String, String> pause = new LinkedHashMap<>();
        for (Ended execution : ended) {
            JobRepository.Streak streak = before.get(execution.jobId());
            if (streak == null || !streak.enabled() || streak.pauseAfter() == null
                    || pause.containsKey(execution.jobId())) {
                continue;
            }
            int count = execution.failed() ? streaks.getOrDefault(execution.jobId(), streak.failures()) + 1 : 0;
            if (count >= streak.pauseAfter()) {
                pause.put(execution.jobId(), reason(count));
                streaks.remove(execution.jobId());
            } else {
                streaks.put(execution.jobId(), count);
            }
        }
        Map<String, Integer> changed = new HashMap<>();
        streaks.forEach((jobId, count) -> {
            if (count != before.get(jobId).failures()) {
                changed.put(jobId, count);
            }
        });
        return new Decision(changed, pause);
    }
}
