package dev.cronhook.common.db;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import io.helidon.dbclient.jdbc.JdbcConnectionPool;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A Helidon DB Client over the application's own connection pool, which Quartz and Flyway share. */
public final class DbClients {
    private DbClients() {
    }

    public static DbClient over(DataSource dataSource) {
        JdbcConnectionPool pool = () -> {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                throw new DbClientException("no database connection: " + e.getMessage(), e);
            }
        };
        // A named parameter left unbound is NULL: DB Client refuses null values, so callers bind nulls by omission.
        return JdbcClientBuilder.create().connectionPool(pool).missingMapParametersAsNull(true).build();
    }
}
