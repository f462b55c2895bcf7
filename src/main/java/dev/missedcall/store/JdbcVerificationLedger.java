package dev.missedcall.store;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.missedcall.verification.Fields;
import dev.missedcall.verification.VerificationLedger;

/**
 * The ledger in PostgreSQL, shared by every instance. Each claim is one conditional statement, so two instances
 * (or a redelivery racing the original) can never both win it.
 */
public class JdbcVerificationLedger implements VerificationLedger {

    /** The spend ceiling is per UTC day, whatever the database's time zone. */
    private static final String TODAY = "(now() at time zone 'utc')::date";

    private final Jdbc jdbc;

    public JdbcVerificationLedger(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    @Override
    public RequestClaim claimRequest(Map<String, Object> command) {
        String id = (String) command.get(Fields.VERIFICATION_ID);
        String json = StoreJson.write(command);
        int inserted = jdbc.update("insert into verification (verification_id, state, requested) values (?, 'CLAIMED', ?)"
                + " on conflict do nothing", s -> {
                    s.setString(1, id);
                    s.setString(2, json);
                });
        if (inserted == 1) {
            return RequestClaim.CLAIMED;
        }
        int cancelled = jdbc.update("update verification set state = 'CLAIMED', requested = ?, updated_at = now()"
                + " where verification_id = ? and state = 'CANCELLED_BEFORE_START'", s -> {
                    s.setString(1, json);
                    s.setString(2, id);
                });
        return cancelled == 1 ? RequestClaim.CANCELLED : RequestClaim.DUPLICATE;
    }

    @Override
    public void recordCancel(String verificationId) {
        jdbc.update("insert into verification (verification_id, state) values (?, 'CANCELLED_BEFORE_START')"
                + " on conflict do nothing", s -> s.setString(1, verificationId));
    }

    @Override
    public void recordRequested(Map<String, Object> requested) {
        jdbc.update("update verification set state = 'REQUESTED', validation_id = ?, deadline = ?, requested = ?,"
                + " updated_at = now() where verification_id = ? and state = 'CLAIMED'", s -> {
                    s.setString(1, (String) requested.get(Fields.VALIDATION_ID));
                    s.setTimestamp(2, new Timestamp(((Number) requested.get(Fields.EXPIRES_AT)).longValue()));
                    s.setString(3, StoreJson.write(requested));
                    s.setString(4, (String) requested.get(Fields.VERIFICATION_ID));
                });
    }

    @Override
    public VerifyClaim claimVerify(String verificationId, String validationId, String intent) {
        return jdbc.inTransaction(connection -> {
            int claimed = Jdbc.update(connection, "update verification set state = 'VERIFY_CLAIMED', verify_intent = ?,"
                    + " updated_at = now() where verification_id = ? and state in ('CLAIMED', 'REQUESTED')", s -> {
                        s.setString(1, intent);
                        s.setString(2, verificationId);
                    });
            if (claimed == 1) {
                return VerifyClaim.SEND;
            }
            List<String> states = Jdbc.query(connection,
                    "select state from verification where verification_id = ? for update",
                    s -> s.setString(1, verificationId), row -> row.getString(1));
            if (states.isEmpty()) {
                // no record (a verification older than the ledger): the first completion to insert one sends
                int inserted = Jdbc.update(connection, "insert into verification (verification_id, state,"
                        + " validation_id, verify_intent) values (?, 'VERIFY_CLAIMED', ?, ?) on conflict do nothing",
                        s -> {
                            s.setString(1, verificationId);
                            s.setString(2, validationId);
                            s.setString(3, intent);
                        });
                return inserted == 1 ? VerifyClaim.SEND : VerifyClaim.IN_PROGRESS;
            }
            return "ENDED".equals(states.get(0)) ? VerifyClaim.ENDED : VerifyClaim.IN_PROGRESS;
        });
    }

    @Override
    public Map<String, Object> end(String verificationId, Map<String, Object> outcome) {
        String json = StoreJson.write(outcome);
        return jdbc.inTransaction(connection -> {
            int ended = Jdbc.update(connection, "update verification set state = 'ENDED', outcome = ?, updated_at = now()"
                    + " where verification_id = ? and state <> 'ENDED'", s -> {
                        s.setString(1, json);
                        s.setString(2, verificationId);
                    });
            if (ended == 0) {
                ended = Jdbc.update(connection, "insert into verification (verification_id, state, outcome)"
                        + " values (?, 'ENDED', ?) on conflict do nothing", s -> {
                            s.setString(1, verificationId);
                            s.setString(2, json);
                        });
            }
            if (ended == 1 && outcome.get(Fields.CHARGED_AMOUNT) instanceof Number charged
                    && charged.doubleValue() != 0) {
                Jdbc.update(connection, "insert into verification_spend (day, amount) values (" + TODAY + ", ?)"
                        + " on conflict (day) do update set amount = verification_spend.amount + excluded.amount",
                        s -> s.setBigDecimal(1, BigDecimal.valueOf(charged.doubleValue())));
            }
            return StoreJson.read(Jdbc.query(connection, "select outcome from verification where verification_id = ?",
                    s -> s.setString(1, verificationId), row -> row.getString(1)).get(0));
        });
    }

    @Override
    public Map<String, Object> ringing(String verificationId) {
        List<String> requested = jdbc.query("select requested from verification where verification_id = ?"
                + " and state = 'REQUESTED'", s -> s.setString(1, verificationId), row -> row.getString(1));
        return requested.isEmpty() ? null : StoreJson.read(requested.get(0));
    }

    @Override
    public int countPinRejection(String verificationId) {
        List<Integer> counts = jdbc.query("update verification set pin_rejections = pin_rejections + 1"
                + " where verification_id = ? returning pin_rejections", s -> s.setString(1, verificationId),
                row -> row.getInt(1));
        return counts.isEmpty() ? 1 : counts.get(0);
    }

    @Override
    public double chargedToday() {
        List<BigDecimal> amounts = jdbc.query("select amount from verification_spend where day = " + TODAY, s -> { },
                row -> row.getBigDecimal(1));
        return amounts.isEmpty() ? 0 : amounts.get(0).doubleValue();
    }

    @Override
    public Map<String, Object> outcome(String verificationId) {
        List<String> outcomes = jdbc.query("select outcome from verification where verification_id = ?"
                + " and state = 'ENDED'", s -> s.setString(1, verificationId), row -> row.getString(1));
        return outcomes.isEmpty() ? null : StoreJson.read(outcomes.get(0));
    }

    @Override
    public Map<String, Object> unpublishedOutcome(String verificationId) {
        List<String> outcomes = jdbc.query("select outcome from verification where verification_id = ?"
                + " and state = 'ENDED' and not published", s -> s.setString(1, verificationId), row -> row.getString(1));
        return outcomes.isEmpty() ? null : StoreJson.read(outcomes.get(0));
    }

    @Override
    public void markPublished(String verificationId) {
        jdbc.update("update verification set published = true where verification_id = ?",
                s -> s.setString(1, verificationId));
    }

    @Override
    public long pendingCount() {
        return jdbc.query("select count(*) from verification where state in ('CLAIMED', 'REQUESTED', 'VERIFY_CLAIMED')",
                s -> { }, row -> row.getLong(1)).get(0);
    }

    @Override
    public List<Map<String, Object>> overdue(Duration grace, Duration lease, int limit) {
        return lease("state = 'REQUESTED' and deadline < now() - ? * interval '1 millisecond'", grace, lease, limit,
                "requested", row -> StoreJson.read(row.getString(1)));
    }

    @Override
    public List<Map<String, Object>> interrupted(Duration olderThan, Duration lease, int limit) {
        return lease("state in ('CLAIMED', 'VERIFY_CLAIMED') and updated_at < now() - ? * interval '1 millisecond'",
                olderThan, lease, limit, "verification_id, state, verify_intent, requested", row -> {
                    Map<String, Object> found = new LinkedHashMap<>();
                    found.put(Fields.VERIFICATION_ID, row.getString(1));
                    found.put("ledgerState", row.getString(2));
                    found.put("verifyIntent", row.getString(3));
                    found.put("requested", StoreJson.read(row.getString(4)));
                    return found;
                });
    }

    @Override
    public List<Map<String, Object>> unpublished(Duration olderThan, Duration lease, int limit) {
        return lease("state = 'ENDED' and not published and updated_at < now() - ? * interval '1 millisecond'",
                olderThan, lease, limit, "outcome", row -> StoreJson.read(row.getString(1)));
    }

    /** Takes due rows for this instance for {@code lease}; rows another instance holds are skipped. */
    private <T> List<T> lease(String due, Duration age, Duration lease, int limit, String columns,
                              Jdbc.RowReader<T> reader) {
        return jdbc.inTransaction(connection -> Jdbc.query(connection,
                "update verification set swept_at = now() where verification_id in ("
                        + " select verification_id from verification where " + due
                        + " and (swept_at is null or swept_at < now() - ? * interval '1 millisecond')"
                        + " order by updated_at limit ? for update skip locked) returning " + columns,
                s -> {
                    s.setLong(1, age.toMillis());
                    s.setLong(2, lease.toMillis());
                    s.setInt(3, limit);
                }, reader));
    }
}
