package dev.missedcall.store;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.spi.OptimisticLockingAggregationRepository;
import org.apache.camel.spi.RecoverableAggregationRepository;
import org.apache.camel.support.DefaultExchange;

/**
 * The aggregator's pending verifications in PostgreSQL, shared by all instances. The state is JSON; a version column
 * makes concurrent updates from two instances fail instead of overwriting each other (the aggregator then retries),
 * and a stale remove is reported too (Camel 4.18's JDBC repository misses that). Completed groups stay in a second
 * table until their completion (Verify PIN, outcome) is confirmed, and are recovered after a crash.
 */
public class JdbcVerificationRepository implements RecoverableAggregationRepository,
        OptimisticLockingAggregationRepository {

    static final String VERSION = "verificationStoreVersion";

    private final Jdbc jdbc;
    private final long recoverAfterMillis;
    private long recoveryIntervalMillis = 5000;
    private boolean useRecovery = true;
    private String deadLetterUri;
    private int maximumRedeliveries;

    /**
     * @param recoverAfterMillis how old an unconfirmed completion must be before it is recovered: longer than a
     *                           completion normally takes, so that a running one is not taken from its instance
     */
    public JdbcVerificationRepository(DataSource dataSource, long recoverAfterMillis) {
        this.jdbc = new Jdbc(dataSource);
        this.recoverAfterMillis = recoverAfterMillis;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange exchange) {
        String state = StoreJson.write(stateOf(exchange));
        jdbc.update("insert into verification_pending (correlation_key, exchange_id, state, version) values (?, ?, ?, 1)"
                + " on conflict (correlation_key) do update set exchange_id = excluded.exchange_id,"
                + " state = excluded.state, version = verification_pending.version + 1", s -> {
                    s.setString(1, key);
                    s.setString(2, exchange.getExchangeId());
                    s.setString(3, state);
                });
        return null;
    }

    @Override
    public Exchange add(CamelContext camelContext, String key, Exchange oldExchange, Exchange newExchange) {
        String state = StoreJson.write(stateOf(newExchange));
        if (oldExchange == null) {
            int inserted = jdbc.update("insert into verification_pending (correlation_key, exchange_id, state, version)"
                    + " values (?, ?, ?, 1) on conflict do nothing", s -> {
                        s.setString(1, key);
                        s.setString(2, newExchange.getExchangeId());
                        s.setString(3, state);
                    });
            if (inserted == 0) {
                throw new OptimisticLockingException();
            }
            newExchange.setProperty(VERSION, 1L);
            return null;
        }
        long version = oldExchange.getProperty(VERSION, Long.class);
        int updated = jdbc.update("update verification_pending set exchange_id = ?, state = ?, version = version + 1"
                + " where correlation_key = ? and version = ?", s -> {
                    s.setString(1, newExchange.getExchangeId());
                    s.setString(2, state);
                    s.setString(3, key);
                    s.setLong(4, version);
                });
        if (updated == 0) {
            throw new OptimisticLockingException();
        }
        newExchange.setProperty(VERSION, version + 1);
        return oldExchange;
    }

    @Override
    public Exchange get(CamelContext camelContext, String key) {
        List<Exchange> found = jdbc.query("select exchange_id, state, version from verification_pending"
                + " where correlation_key = ?", s -> s.setString(1, key), row -> {
                    Exchange exchange = exchange(camelContext, row.getString(1), row.getString(2));
                    exchange.setProperty(VERSION, row.getLong(3));
                    return exchange;
                });
        return found.isEmpty() ? null : found.get(0);
    }

    @Override
    public void remove(CamelContext camelContext, String key, Exchange exchange) {
        Long version = exchange.getProperty(VERSION, Long.class);
        String state = StoreJson.write(stateOf(exchange));
        String completedBy = exchange.getProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, String.class);
        jdbc.inTransaction(connection -> {
            int removed = Jdbc.update(connection, "delete from verification_pending where correlation_key = ?"
                    + (version != null ? " and version = ?" : ""), s -> {
                        s.setString(1, key);
                        if (version != null) {
                            s.setLong(2, version);
                        }
                    });
            if (removed == 0 && version != null) {
                throw new OptimisticLockingException();
            }
            Jdbc.update(connection, "insert into verification_completed (exchange_id, correlation_key, state,"
                    + " completed_by) values (?, ?, ?, ?) on conflict do nothing", s -> {
                        s.setString(1, exchange.getExchangeId());
                        s.setString(2, key);
                        s.setString(3, state);
                        s.setString(4, completedBy);
                    });
            return removed;
        });
    }

    @Override
    public void confirm(CamelContext camelContext, String exchangeId) {
        confirmWithResult(camelContext, exchangeId);
    }

    @Override
    public boolean confirmWithResult(CamelContext camelContext, String exchangeId) {
        return jdbc.update("delete from verification_completed where exchange_id = ?",
                s -> s.setString(1, exchangeId)) == 1;
    }

    @Override
    public Set<String> getKeys() {
        return new LinkedHashSet<>(jdbc.query("select correlation_key from verification_pending", s -> { },
                row -> row.getString(1)));
    }

    @Override
    public Set<String> scan(CamelContext camelContext) {
        return new LinkedHashSet<>(jdbc.query("select exchange_id from verification_completed"
                + " where completed_at < now() - ? * interval '1 millisecond' order by completed_at limit 500",
                s -> s.setLong(1, recoverAfterMillis), row -> row.getString(1)));
    }

    @Override
    public Exchange recover(CamelContext camelContext, String exchangeId) {
        List<Exchange> found = jdbc.query("select exchange_id, state, completed_by, correlation_key"
                + " from verification_completed where exchange_id = ?", s -> s.setString(1, exchangeId), row -> {
                    Exchange exchange = exchange(camelContext, row.getString(1), row.getString(2));
                    exchange.setProperty(ExchangePropertyKey.AGGREGATED_CORRELATION_KEY, row.getString(4));
                    if (row.getString(3) != null) {
                        exchange.setProperty(ExchangePropertyKey.AGGREGATED_COMPLETED_BY, row.getString(3));
                    }
                    return exchange;
                });
        return found.isEmpty() ? null : found.get(0);
    }

    private static Exchange exchange(CamelContext camelContext, String exchangeId, String stateJson) {
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.setExchangeId(exchangeId);
        Map<String, Object> state = StoreJson.read(stateJson);
        exchange.getMessage().setBody(state);
        exchange.getMessage().setHeader(dev.missedcall.verification.Fields.VERIFICATION_ID,
                state.get(dev.missedcall.verification.Fields.VERIFICATION_ID));
        return exchange;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stateOf(Exchange exchange) {
        return exchange.getMessage().getBody(Map.class);
    }

    @Override
    public void setRecoveryInterval(long interval, TimeUnit timeUnit) {
        this.recoveryIntervalMillis = timeUnit.toMillis(interval);
    }

    @Override
    public void setRecoveryInterval(long interval) {
        this.recoveryIntervalMillis = interval;
    }

    @Override
    public long getRecoveryInterval() {
        return recoveryIntervalMillis;
    }

    @Override
    public void setUseRecovery(boolean useRecovery) {
        this.useRecovery = useRecovery;
    }

    @Override
    public boolean isUseRecovery() {
        return useRecovery;
    }

    @Override
    public void setDeadLetterUri(String deadLetterUri) {
        this.deadLetterUri = deadLetterUri;
    }

    @Override
    public String getDeadLetterUri() {
        return deadLetterUri;
    }

    @Override
    public void setMaximumRedeliveries(int maximumRedeliveries) {
        this.maximumRedeliveries = maximumRedeliveries;
    }

    @Override
    public int getMaximumRedeliveries() {
        return maximumRedeliveries;
    }
}
