package dev.missedcall.testing;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server (embedded binaries from Maven) for every test class of a run that uses this extension,
 * with a fresh database per call of {@link #newDatabase()}.
 */
public final class SharedPostgres implements BeforeAllCallback {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile EmbeddedPostgres server;

    private static final class Resource implements ExtensionContext.Store.CloseableResource {

        private final EmbeddedPostgres postgres;

        private Resource() {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
            }
        }

        @Override
        public void close() throws Exception {
            postgres.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SharedPostgres.class.getName(), key -> new Resource(), Resource.class).postgres;
    }

    /** A new, empty database; returns its JDBC URL (user and password {@code postgres}). */
    public static String newDatabase() {
        if (server == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedPostgres.class)");
        }
        String name = "verification_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return server.getJdbcUrl("postgres", name);
    }
}
