package dev.cronhook.bench;

import java.util.Arrays;

/** What the target saw of one group of jobs: counts, repeats, early arrivals and every lag (microseconds). */
final class TargetGroup {
    private long count;
    private long duplicates;
    private long early;
    private long withoutLag;
    private long firstArrival = Long.MAX_VALUE;
    private long lastArrival = Long.MIN_VALUE;
    private long[] lags = new long[1024];
    private int lagCount;
    private final long[] byAttempt = new long[8];

    synchronized void record(long arrivalMicros, long lagMicros, boolean duplicate, int attempt) {
        count++;
        if (duplicate) {
            duplicates++;
        }
        firstArrival = Math.min(firstArrival, arrivalMicros);
        lastArrival = Math.max(lastArrival, arrivalMicros);
        byAttempt[Math.max(0, Math.min(attempt, byAttempt.length - 1))]++;
        if (lagMicros == Long.MIN_VALUE) {
            withoutLag++;
            return;
        }
        // The scheduled time has millisecond precision and Cronhook never sends before it: only a lag below zero
        // at millisecond precision is early.
        if (lagMicros < 0) {
            early++;
        }
        if (lagCount == lags.length) {
            lags = Arrays.copyOf(lags, lags.length * 2);
        }
        lags[lagCount++] = lagMicros;
    }

    synchronized long count() {
        return count;
    }

    synchronized void appendJson(StringBuilder json) {
        long[] sorted = Arrays.copyOf(lags, lagCount);
        Arrays.sort(sorted);
        double seconds = lastArrival > firstArrival ? (lastArrival - firstArrival) / 1e6 : 0;
        json.append("{\"count\":").append(count)
                .append(",\"duplicates\":").append(duplicates)
                .append(",\"early\":").append(early)
                .append(",\"without_lag\":").append(withoutLag)
                .append(",\"first_arrival_us\":").append(count == 0 ? 0 : firstArrival)
                .append(",\"last_arrival_us\":").append(count == 0 ? 0 : lastArrival)
                .append(",\"arrivals_per_s\":").append(seconds == 0 ? 0 : Math.round(count / seconds))
                .append(",\"lag_ms\":{")
                .append("\"min\":").append(ms(sorted, 0.0))
                .append(",\"p50\":").append(ms(sorted, 0.50))
                .append(",\"p90\":").append(ms(sorted, 0.90))
                .append(",\"p99\":").append(ms(sorted, 0.99))
                .append(",\"p999\":").append(ms(sorted, 0.999))
                .append(",\"max\":").append(ms(sorted, 1.0))
                .append("},\"by_attempt\":[");
        for (int i = 1; i < byAttempt.length; i++) {
            json.append(i == 1 ? "" : ",").append(byAttempt[i]);
        }
        json.append("]}");
    }

    private static String ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return "null";
        }
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1));
        return String.format(java.util.Locale.ROOT, "%.2f", sorted[index] / 1000.0);
    }
}
