package dev.cronhook.incident.integrations;

import dev.cronhook.common.db.Rows;
import dev.cronhook.incident.incidents.Severity;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import java.util.List;
import java.util.Optional;

/** The SQL of the integrations table and its row mapping. */
public final class IntegrationRepository {
    static final String BUILT_IN = "cronhook";
    private static final String COLUMNS = "id, name, type, signing_secret, ack_timeout_minutes, default_severity, "
            + "builtin, alert_after, realert_minutes, created_at, updated_at";

    private final DbClient db;

    public IntegrationRepository(DbClient db) {
        this.db = db;
    }

    void insert(StoredIntegration stored, String tokenHash) {
        bind(db.execute().createInsert("INSERT INTO integrations (" + COLUMNS + ", token_hash) VALUES (:id, :name, "
                + ":type, :signing_secret, :ack_timeout_minutes, :default_severity, :builtin, :alert_after, "
                + ":realert_minutes, :created_at, :updated_at, :token_hash)"), stored)
                .addParam("token_hash", tokenHash)
                .execute();
    }

    /** Inserts the built-in integration unless one exists (made by this node earlier or by another node now). */
    boolean insertBuiltIn(StoredIntegration stored, String tokenHash) {
        return bind(db.execute().createInsert("INSERT INTO integrations (" + COLUMNS + ", token_hash) VALUES (:id, "
                + ":name, :type, :signing_secret, :ack_timeout_minutes, :default_severity, :builtin, :alert_after, "
                + ":realert_minutes, :created_at, :updated_at, :token_hash) ON CONFLICT DO NOTHING"), stored)
                .addParam("token_hash", tokenHash)
                .execute() == 1;
    }

    public Optional<StoredIntegration> findBuiltIn() {
        return findBuiltIn(db.execute());
    }

    public Optional<StoredIntegration> findBuiltIn(DbExecute exec) {
        return exec.createGet("SELECT " + COLUMNS + " FROM integrations WHERE builtin = :builtin")
                .addParam("builtin", BUILT_IN)
                .execute()
                .map(IntegrationRepository::read);
    }

    public Optional<StoredIntegration> find(String id) {
        return find(db.execute(), id);
    }

    public Optional<StoredIntegration> find(DbExecute exec, String id) {
        return exec.createGet("SELECT " + COLUMNS + " FROM integrations WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(IntegrationRepository::read);
    }

    /**
     * Named, with a positional parameter: every intake event runs it, and the DB client would otherwise parse named
     * parameters and hash the SQL text for a name at every execution.
     */
    public Optional<StoredIntegration> findByTokenHash(String tokenHash) {
        return db.execute().createNamedGet("integration-by-token", "SELECT " + COLUMNS
                        + " FROM integrations WHERE token_hash = ?")
                .addParam(tokenHash)
                .execute()
                .map(IntegrationRepository::read);
    }

    List<StoredIntegration> list(String cursor, int limit) {
        try (var rows = db.execute().createQuery("SELECT " + COLUMNS + " FROM integrations WHERE id > :cursor "
                        + "ORDER BY id LIMIT :limit")
                .addParam("cursor", cursor == null ? "" : cursor)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(IntegrationRepository::read).toList();
        }
    }

    /** The ids among {@code ids} that name an integration. */
    public List<String> existing(List<String> ids) {
        return ids.stream().filter(id -> find(id).isPresent()).toList();
    }

    boolean update(StoredIntegration stored) {
        return bind(db.execute().createUpdate("UPDATE integrations SET name = :name, type = :type, "
                + "signing_secret = :signing_secret, ack_timeout_minutes = :ack_timeout_minutes, "
                + "default_severity = :default_severity, builtin = :builtin, alert_after = :alert_after, "
                + "realert_minutes = :realert_minutes, created_at = :created_at, updated_at = :updated_at "
                + "WHERE id = :id"), stored).execute() == 1;
    }

    boolean updateTokenHash(String id, String tokenHash, java.time.Instant now) {
        return db.execute().createUpdate("UPDATE integrations SET token_hash = :token_hash, updated_at = :now "
                        + "WHERE id = :id")
                .addParam("token_hash", tokenHash)
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    boolean delete(String id) {
        return db.execute().createDelete("DELETE FROM integrations WHERE id = :id").addParam("id", id).execute() == 1;
    }

    private static DbStatementDml bind(DbStatementDml statement, StoredIntegration stored) {
        Integration i = stored.integration();
        statement.addParam("id", i.id())
                .addParam("name", i.name())
                .addParam("type", i.type().wireName())
                .addParam("default_severity", i.defaultSeverity().wireName())
                .addParam("alert_after", i.alertAfter())
                .addParam("created_at", Rows.at(i.createdAt()))
                .addParam("updated_at", Rows.at(i.updatedAt()));
        Rows.nullable(statement, "signing_secret", stored.signingSecret());
        Rows.nullable(statement, "ack_timeout_minutes", i.ackTimeoutMinutes());
        Rows.nullable(statement, "builtin", i.builtIn() ? BUILT_IN : null);
        Rows.nullable(statement, "realert_minutes", i.realertMinutes());
        return statement;
    }

    private static StoredIntegration read(DbRow row) {
        String secret = Rows.string(row, "signing_secret");
        Integration integration = new Integration(
                Rows.string(row, "id"),
                Rows.string(row, "name"),
                IntegrationType.fromWire(Rows.string(row, "type")),
                secret != null,
                Rows.integer(row, "ack_timeout_minutes"),
                Severity.fromWire(Rows.string(row, "default_severity")),
                Rows.string(row, "builtin") != null,
                Rows.integer(row, "alert_after"),
                Rows.integer(row, "realert_minutes"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
        return new StoredIntegration(integration, secret);
    }
}
