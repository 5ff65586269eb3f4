package dev.cronhook.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.db.Rows;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.scheduler.jobs.SigningSecrets;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of the webhooks table and its row mapping. */
public final class WebhookRepository {
    private static final String COLUMNS = "id, nickname, url, authorization_value, topics, job_ids, enabled, "
            + "disabled_reason, signing_secret, previous_secret, previous_secret_until, created_at, updated_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final DbClient db;
    private final ObjectMapper json;

    public WebhookRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    void insert(Webhook webhook) {
        bind(db.execute().createInsert("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id, :nickname, :url, "
                + ":authorization_value, :topics, :job_ids, :enabled, :disabled_reason, :signing_secret, "
                + ":previous_secret, :previous_secret_until, :created_at, :updated_at)"), webhook).execute();
    }

    /** Inserts unless a subscription with this id exists (two nodes starting at once). */
    void insertIfAbsent(Webhook webhook) {
        bind(db.execute().createInsert("INSERT INTO webhooks (" + COLUMNS + ") VALUES (:id, :nickname, :url, "
                + ":authorization_value, :topics, :job_ids, :enabled, :disabled_reason, :signing_secret, "
                + ":previous_secret, :previous_secret_until, :created_at, :updated_at) ON CONFLICT DO NOTHING"),
                webhook).execute();
    }

    /** Writes the whole subscription; false when it no longer exists. */
    boolean update(Webhook webhook) {
        return bind(db.execute().createUpdate("UPDATE webhooks SET nickname = :nickname, url = :url, "
                + "authorization_value = :authorization_value, topics = :topics, job_ids = :job_ids, "
                + "enabled = :enabled, disabled_reason = :disabled_reason, signing_secret = :signing_secret, "
                + "previous_secret = :previous_secret, previous_secret_until = :previous_secret_until, "
                + "created_at = :created_at, updated_at = :updated_at WHERE id = :id"), webhook).execute() == 1;
    }

    Optional<Webhook> find(String id) {
        return db.execute().createGet("SELECT " + COLUMNS + " FROM webhooks WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(this::read);
    }

    List<Webhook> list(String cursor, int limit) {
        try (var rows = db.execute().createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id > :cursor "
                        + "ORDER BY id LIMIT :limit")
                .addParam("cursor", cursor == null ? "" : cursor)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(this::read).toList();
        }
    }

    /** The enabled subscriptions, read in the transaction that writes their events. */
    List<Webhook> enabled(DbExecute tx) {
        try (var rows = tx.createQuery("SELECT " + COLUMNS + " FROM webhooks WHERE enabled = TRUE").execute()) {
            return rows.map(this::read).toList();
        }
    }

    boolean delete(String id) {
        return db.execute().createDelete("DELETE FROM webhooks WHERE id = :id").addParam("id", id).execute() == 1;
    }

    /** Cronhook turns a subscription off (its endpoint answered 410 Gone) and says why. */
    void disable(String id, String reason, Instant now) {
        db.execute().createUpdate("UPDATE webhooks SET enabled = FALSE, disabled_reason = :reason, updated_at = :now "
                        + "WHERE id = :id AND enabled = TRUE")
                .addParam("reason", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute();
    }

    private DbStatementDml bind(DbStatementDml statement, Webhook webhook) {
        SigningSecrets secrets = webhook.secrets();
        statement.addParam("id", webhook.id())
                .addParam("nickname", webhook.nickname())
                .addParam("url", webhook.url().toString())
                .addParam("topics", write(webhook.topics()))
                .addParam("enabled", webhook.enabled())
                .addParam("signing_secret", secrets.current().value())
                .addParam("created_at", Rows.at(webhook.createdAt()))
                .addParam("updated_at", Rows.at(webhook.updatedAt()));
        Rows.nullable(statement, "authorization_value", webhook.authorization());
        Rows.nullable(statement, "job_ids", webhook.jobIds().isEmpty() ? null : write(webhook.jobIds()));
        Rows.nullable(statement, "disabled_reason", webhook.disabledReason());
        Rows.nullable(statement, "previous_secret", secrets.previous() == null ? null : secrets.previous().value());
        Rows.nullable(statement, "previous_secret_until", Rows.at(secrets.previousUntil()));
        return statement;
    }

    private Webhook read(DbRow row) {
        String jobIds = Rows.string(row, "job_ids");
        String previous = Rows.string(row, "previous_secret");
        return new Webhook(
                Rows.string(row, "id"),
                Rows.string(row, "nickname"),
                URI.create(Rows.string(row, "url")),
                Rows.string(row, "authorization_value"),
                read(Rows.string(row, "topics")),
                jobIds == null ? List.of() : read(jobIds),
                Rows.bool(row, "enabled"),
                Rows.string(row, "disabled_reason"),
                new SigningSecrets(new WebhookSecret(Rows.string(row, "signing_secret")),
                        previous == null ? null : new WebhookSecret(previous),
                        Rows.instant(row, "previous_secret_until")),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> read(String text) {
        try {
            return json.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
