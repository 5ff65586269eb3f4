package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatementDml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of callback URLs (PRODUCT.md section 10): one row per URL handed out, keyed by the SHA-256 of its token, with
 * what the callback said once it came.
 */
final class CallbackRepository {

    /** A callback URL handed out for attempt {@code attemptNumber} of an execution. */
    record Issued(String tokenHash, String executionId, int attemptNumber) {
    }

    /** What a callback said of attempt {@code attemptNumber}, and when. */
    record Answer(String executionId, int attemptNumber, CallbackReport report, Instant receivedAt) {
    }

    /** Records the URLs handed out by a claim, in its transaction: one statement. */
    void insert(DbExecute tx, List<Issued> issued, Instant now) {
        if (issued.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < issued.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(:h").append(i).append(", :e").append(i).append(", :n")
                    .append(i).append(", :now)");
        }
        DbStatementDml insert = tx.createInsert("INSERT INTO callbacks (token_hash, execution_id, attempt_number, "
                + "created_at) VALUES " + values).addParam("now", Rows.at(now));
        for (int i = 0; i < issued.size(); i++) {
            insert.addParam("h" + i, issued.get(i).tokenHash())
                    .addParam("e" + i, issued.get(i).executionId())
                    .addParam("n" + i, issued.get(i).attemptNumber());
        }
        insert.execute();
    }

    Optional<Issued> find(DbExecute tx, String tokenHash) {
        return tx.createGet("SELECT execution_id, attempt_number FROM callbacks WHERE token_hash = :h")
                .addParam("h", tokenHash)
                .execute()
                .map(row -> new Issued(tokenHash, Rows.string(row, "execution_id"),
                        Rows.integer(row, "attempt_number")));
    }

    /** Whether a callback of the attempt {@code issued} belongs to came already (to this URL or another of it). */
    boolean answered(DbExecute tx, Issued issued) {
        return answers(tx, List.of(issued.executionId())).stream()
                .anyMatch(answer -> answer.attemptNumber() == issued.attemptNumber());
    }

    /** Stores what a callback said; the caller checked it is the attempt's first, under the execution's lock. */
    void answer(DbExecute tx, Issued issued, CallbackReport report, Instant now) {
        DbStatementDml update = tx.createUpdate("UPDATE callbacks SET verdict = :verdict, output = :output, "
                        + "received_at = :now WHERE token_hash = :h AND verdict IS NULL")
                .addParam("verdict", report.status().wireName())
                .addParam("now", Rows.at(now))
                .addParam("h", issued.tokenHash());
        Rows.nullable(update, "output", report.output());
        update.execute();
    }

    /** The callbacks that came for these executions' attempts, oldest attempt first; one query. */
    List<Answer> answers(DbExecute tx, List<String> executionIds) {
        if (executionIds.isEmpty()) {
            return List.of();
        }
        List<Answer> answers = new ArrayList<>();
        try (var rows = Rows.bindAll(tx.createQuery("SELECT execution_id, attempt_number, verdict, output, received_at "
                + "FROM callbacks WHERE execution_id IN (" + Rows.placeholders("e", executionIds.size()) + ") "
                + "AND verdict IS NOT NULL ORDER BY execution_id, attempt_number"), "e", executionIds).execute()) {
            rows.forEach(row -> answers.add(new Answer(Rows.string(row, "execution_id"),
                    Rows.integer(row, "attempt_number"),
                    new CallbackReport(CallbackReport.Status.fromWire(Rows.string(row, "verdict")),
                            Rows.string(row, "output")),
                    Rows.instant(row, "received_at"))));
        }
        return answers;
    }

    /** The answer to attempt {@code attemptNumber} of each execution, by execution id. */
    Map<String, Answer> answersTo(DbExecute tx, Map<String, Integer> attempts) {
        Map<String, Answer> found = new HashMap<>();
        for (Answer answer : answers(tx, List.copyOf(attempts.keySet()))) {
            if (answer.attemptNumber() == attempts.get(answer.executionId())) {
                found.put(answer.executionId(), answer);
            }
        }
        return found;
    }
}
