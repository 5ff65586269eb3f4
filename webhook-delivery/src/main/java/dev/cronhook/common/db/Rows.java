package dev.cronhook.common.db;

import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Column reading and parameter binding that behave the same on H2 and PostgreSQL; every module's SQL uses it. */
public final class Rows {
    private Rows() {
    }

    /** H2 returns OffsetDateTime for TIMESTAMP WITH TIME ZONE, pgjdbc a Timestamp; both name an instant. */
    public static Instant instant(DbRow row, String column) {
        Object value = raw(row, column);
        return switch (value) {
            case null -> null;
            case OffsetDateTime odt -> odt.toInstant();
            case Timestamp ts -> ts.toInstant();
            case Instant instant -> instant;
            default -> throw new IllegalStateException("unexpected time type " + value.getClass() + " in " + column);
        };
    }

    /** pgjdbc cannot bind an Instant; an OffsetDateTime in UTC it can, and so can H2. */
    public static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Binds a value that may be null (DB Client refuses nulls; an unbound name reads as NULL, see DbClients). */
    public static <D extends DbStatement<D>> D nullable(D statement, String name, Object value) {
        return value == null ? statement : statement.addParam(name, value);
    }

    /** Named placeholders {@code :p0, :p1, …} for an IN list of {@code count} values; {@link #bindAll} binds them. */
    public static String placeholders(String prefix, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            names.append(i == 0 ? ":" : ", :").append(prefix).append(i);
        }
        return names.toString();
    }

    /** Binds {@code values} to the names {@link #placeholders} made with the same prefix. */
    public static <D extends DbStatement<D>> D bindAll(D statement, String prefix, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            statement.addParam(prefix + i, values.get(i));
        }
        return statement;
    }

    /** The column's value, or null for SQL NULL (DbColumn.get() and asOptional() throw on NULL). */
    public static Object raw(DbRow row, String column) {
        DbColumn value = row.column(column);
        return value.get(value.javaType());
    }

    public static String string(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : value.toString();
    }

    public static Integer integer(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : ((Number) value).intValue();
    }

    public static Long longOrNull(DbRow row, String column) {
        Object value = raw(row, column);
        return value == null ? null : ((Number) value).longValue();
    }

    public static long number(DbRow row, String column) {
        return ((Number) row.column(column).get()).longValue();
    }

    public static boolean bool(DbRow row, String column) {
        return (Boolean) row.column(column).get();
    }
}
