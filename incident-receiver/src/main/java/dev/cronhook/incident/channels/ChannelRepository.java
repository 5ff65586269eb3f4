package dev.cronhook.incident.channels;

import dev.cronhook.common.db.Rows;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.incidents.Severity;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SQL of the alert_channels table and its row mapping. */
public final class ChannelRepository {
    private static final String COLUMNS = "id, type, url, events, integration_ids, min_severity, signing_secret, "
            + "enabled, created_at, updated_at";

    private final DbClient db;

    public ChannelRepository(DbClient db) {
        this.db = db;
    }

    void insert(StoredChannel stored) {
        bind(db.execute().createInsert("INSERT INTO alert_channels (" + COLUMNS + ") VALUES (:id, :type, :url, "
                + ":events, :integration_ids, :min_severity, :signing_secret, :enabled, :created_at, :updated_at)"),
                stored).execute();
    }

    boolean update(StoredChannel stored) {
        return bind(db.execute().createUpdate("UPDATE alert_channels SET type = :type, url = :url, events = :events, "
                + "integration_ids = :integration_ids, min_severity = :min_severity, signing_secret = :signing_secret, "
                + "enabled = :enabled, created_at = :created_at, updated_at = :updated_at WHERE id = :id"), stored)
                .execute() == 1;
    }

    Optional<StoredChannel> find(String id) {
        return db.execute().createGet("SELECT " + COLUMNS + " FROM alert_channels WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(ChannelRepository::read);
    }

    List<Channel> list(String cursor, int limit) {
        try (var rows = db.execute().createQuery("SELECT " + COLUMNS + " FROM alert_channels WHERE id > :cursor "
                        + "ORDER BY id LIMIT :limit")
                .addParam("cursor", cursor == null ? "" : cursor)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> read(row).channel()).toList();
        }
    }

    /** Every enabled channel, read in the transaction that changes an incident. */
    List<Channel> enabled(DbExecute tx) {
        try (var rows = tx.createQuery("SELECT " + COLUMNS + " FROM alert_channels WHERE enabled = TRUE ORDER BY id")
                .execute()) {
            return rows.map(row -> read(row).channel()).toList();
        }
    }

    boolean disable(String id, Instant now) {
        return db.execute().createUpdate("UPDATE alert_channels SET enabled = FALSE, updated_at = :now WHERE id = :id")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    boolean delete(String id) {
        return db.execute().createDelete("DELETE FROM alert_channels WHERE id = :id").addParam("id", id).execute() == 1;
    }

    private static DbStatementDml bind(DbStatementDml statement, StoredChannel stored) {
        Channel c = stored.channel();
        statement.addParam("id", c.id())
                .addParam("type", c.type().wireName())
                .addParam("url", c.url().toString())
                .addParam("events", c.events().stream().sorted().map(AlertEvent::wireName)
                        .collect(Collectors.joining(",")))
                .addParam("enabled", c.enabled())
                .addParam("created_at", Rows.at(c.createdAt()))
                .addParam("updated_at", Rows.at(c.updatedAt()));
        Rows.nullable(statement, "integration_ids", c.integrationIds().isEmpty() ? null
                : String.join(",", c.integrationIds()));
        Rows.nullable(statement, "min_severity", c.minSeverity() == null ? null : c.minSeverity().wireName());
        Rows.nullable(statement, "signing_secret", stored.signingSecret() == null ? null
                : stored.signingSecret().value());
        return statement;
    }

    private static StoredChannel read(DbRow row) {
        Set<AlertEvent> events = EnumSet.noneOf(AlertEvent.class);
        for (String name : Rows.string(row, "events").split(",")) {
            AlertEvent event = AlertEvent.fromWire(name);
            if (event != null) {
                events.add(event);
            }
        }
        String integrationIds = Rows.string(row, "integration_ids");
        String minSeverity = Rows.string(row, "min_severity");
        String secret = Rows.string(row, "signing_secret");
        Channel channel = new Channel(
                Rows.string(row, "id"),
                ChannelType.fromWire(Rows.string(row, "type")),
                URI.create(Rows.string(row, "url")),
                events,
                integrationIds == null ? List.of() : Arrays.asList(integrationIds.split(",")),
                minSeverity == null ? null : Severity.fromWire(minSeverity),
                Rows.bool(row, "enabled"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
        return new StoredChannel(channel, secret == null ? null : new WebhookSecret(secret));
    }
}
