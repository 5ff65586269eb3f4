package dev.cronhook.api.keys;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API keys. Only a SHA-256 hash of each key is stored: keys are 160 random bits, so a fast hash is enough, and a
 * lookup by hash is one indexed query on every request — which is also why a revoked key stops working at once on
 * every node (nothing is cached).
 */
public final class ApiKeyStore {
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int PREFIX_LENGTH = 12;
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DbClient db;
    private final Clock clock;
    private final PrefixedIds ids;
    private final byte[] configuredAdminKeyHash;

    /** @param configuredAdminKey an admin key accepted from configuration (never stored), or null */
    public ApiKeyStore(DbClient db, Clock clock, String configuredAdminKey) {
        this.db = db;
        this.clock = clock;
        this.ids = new PrefixedIds(clock);
        this.configuredAdminKeyHash = configuredAdminKey == null ? null : sha256(configuredAdminKey);
    }

    /** On a first start with no configured key and no stored key, makes an admin key; the caller shows it once. */
    public Optional<CreatedApiKey> bootstrap() {
        if (configuredAdminKeyHash != null) {
            return Optional.empty();
        }
        long count = db.execute().createGet("SELECT COUNT(*) AS n FROM api_keys").execute()
                .map(row -> ((Number) row.column("n").get()).longValue()).orElse(0L);
        if (count > 0) {
            return Optional.empty();
        }
        return Optional.of(create("bootstrap admin key", Scope.ADMIN));
    }

    public CreatedApiKey create(String name, Scope scope) {
        String key = "chk_" + randomText(32);
        Instant now = clock.instant();
        ApiKey apiKey = new ApiKey(ids.next("key"), name, scope, key.substring(0, PREFIX_LENGTH), now, null);
        db.execute().createInsert("INSERT INTO api_keys (id, name, scope, prefix, key_hash, created_at) "
                        + "VALUES (:id, :name, :scope, :prefix, :key_hash, :created_at)")
                .addParam("id", apiKey.id())
                .addParam("name", name)
                .addParam("scope", scope.wireName())
                .addParam("prefix", apiKey.prefix())
                .addParam("key_hash", HexFormat.of().formatHex(sha256(key)))
                .addParam("created_at", Rows.at(now))
                .execute();
        return new CreatedApiKey(apiKey, key);
    }

    /** Who a presented key is, or empty when it is unknown or revoked. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 200) {
            return Optional.empty();
        }
        byte[] hash = sha256(presented);
        if (configuredAdminKeyHash != null && MessageDigest.isEqual(hash, configuredAdminKeyHash)) {
            return Optional.of(new Caller(null, Caller.CONFIGURED_ADMIN, Scope.ADMIN));
        }
        Optional<DbRow> row = db.execute().createGet("SELECT id, name, scope, key_hash FROM api_keys "
                        + "WHERE key_hash = :key_hash")
                .addParam("key_hash", HexFormat.of().formatHex(hash))
                .execute();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        byte[] stored = HexFormat.of().parseHex(row.get().column("key_hash").getString());
        if (!MessageDigest.isEqual(hash, stored)) {
            return Optional.empty();
        }
        String id = row.get().column("id").getString();
        touch(id);
        Scope scope = Scope.fromWire(row.get().column("scope").getString());
        return scope == null ? Optional.empty()
                : Optional.of(new Caller(id, row.get().column("name").getString(), scope));
    }

    public List<ApiKey> list() {
        try (var rows = db.execute().createQuery("SELECT id, name, scope, prefix, created_at, last_used_at FROM api_keys ORDER BY id")
                .execute()) {
            return rows.map(ApiKeyStore::read).toList();
        }
    }

    public boolean revoke(String id) {
        return db.execute().createDelete("DELETE FROM api_keys WHERE id = :id").addParam("id", id).execute() == 1;
    }

    /** Records use at minute precision, so a busy key does not cost a write per request. */
    private void touch(String id) {
        Instant now = clock.instant();
        db.execute().createUpdate("UPDATE api_keys SET last_used_at = :now WHERE id = :id "
                        + "AND (last_used_at IS NULL OR last_used_at < :threshold)")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .addParam("threshold", Rows.at(now.minus(LAST_USED_PRECISION)))
                .execute();
    }

    private static ApiKey read(DbRow row) {
        return new ApiKey(
                row.column("id").getString(),
                row.column("name").getString(),
                Scope.fromWire(row.column("scope").getString()),
                row.column("prefix").getString(),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "last_used_at"));
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
