package dev.missedcall.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import dev.missedcall.policy.AttemptLimits;

/**
 * {@link AttemptLimits} shared by every instance: a transaction-scoped advisory lock per key serialises the
 * instances that admit an attempt for the same number at the same moment, and the database's clock is the one clock.
 */
public class JdbcAttemptLimits implements AttemptLimits {

    private static final String WINDOW_SQL = "interval '" + WINDOW.toHours() + " hours'";

    private final Jdbc jdbc;

    public JdbcAttemptLimits(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public String admit(List<Limit> limits) {
        // locks taken in one order, so that two admissions sharing two keys cannot deadlock
        List<Limit> ordered = limits.stream().sorted(Comparator.comparing(Limit::key)).toList();
        return jdbc.inTransaction(connection -> {
            for (Limit limit : ordered) {
                lock(connection, limit.key());
            }
            for (Limit limit : limits) {
                String refusal = refusal(connection, limit);
                if (refusal != null) {
                    return refusal;
                }
            }
            for (Limit limit : ordered) {
                Jdbc.update(connection, "delete from verification_attempt where limit_key = ? and attempted_at < now() - "
                        + WINDOW_SQL, s -> s.setString(1, limit.key()));
                Jdbc.update(connection, "insert into verification_attempt (limit_key) values (?)",
                        s -> s.setString(1, limit.key()));
            }
            return null;
        });
    }

    @Override
    public int forgetOldAttempts() {
        return jdbc.update("delete from verification_attempt where attempted_at < now() - " + WINDOW_SQL, s -> { });
    }

    private static void lock(Connection connection, String key) throws SQLException {
        Jdbc.query(connection, "select pg_advisory_xact_lock(hashtextextended(?, 0))", s -> s.setString(1, key),
                row -> null);
    }

    private static String refusal(Connection connection, Limit limit) throws SQLException {
        List<Object[]> counts = Jdbc.query(connection, "select count(*), coalesce(max(attempted_at) > now() - ?::interval,"
                + " false) from verification_attempt where limit_key = ? and attempted_at >= now() - " + WINDOW_SQL,
                s -> {
                    s.setString(1, limit.cooldown().toMillis() + " milliseconds");
                    s.setString(2, limit.key());
                }, row -> new Object[] {row.getLong(1), row.getBoolean(2)});
        long attempts = (Long) counts.get(0)[0];
        boolean coolingDown = (Boolean) counts.get(0)[1];
        if (!limit.cooldown().isZero() && coolingDown) {
            return limit.cooldownReason();
        }
        if (limit.dailyMax() > 0 && attempts >= limit.dailyMax()) {
            return limit.dailyReason();
        }
        return null;
    }
}
