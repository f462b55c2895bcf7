package dev.missedcall.store;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * The PostgreSQL store: a connection pool, and the schema brought to the current version by Flyway's versioned
 * migrations ({@code db/migration}) at start. Several instances may start at once: Flyway locks the schema history.
 */
public class VerificationStore extends ServiceSupport {

    private final HikariDataSource dataSource;

    public VerificationStore(String url, String user, String password, int poolSize) {
        if (poolSize < 2) {
            // Flyway holds one connection for its lock while it migrates with another
            throw new IllegalArgumentException("verification.store.pool-size must be at least 2, was " + poolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user == null || user.isBlank() ? null : user);
        config.setPassword(password == null || password.isBlank() ? null : password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("verification-store");
        config.setConnectionTimeout(10_000);
        // fail at start, with the store's own message, when the database cannot be reached
        config.setInitializationFailTimeout(10_000);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected void doStop() {
        dataSource.close();
    }
}
