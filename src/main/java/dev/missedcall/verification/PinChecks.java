package dev.missedcall.verification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a caller-ID report against CheckMobi's {@code pin_hash} (SHA-1 of the calling number's last 3 digits)
 * before it may spend the one Verify PIN. A reported number that fails is another call that happened to ring; a
 * typed PIN that fails is a typo the user may correct, a limited number of times.
 */
public class PinChecks {

    /** What a caller-ID report is, once checked. */
    public enum Verdict {
        /** No pin_hash to check against (CheckMobi gave none, or its answer is not recorded yet): let it through. */
        UNCHECKED,
        /** The digits fit the pin_hash: worth the Verify PIN. */
        MATCHES,
        /** A reported number that does not fit: some other call. Ignored; the verification keeps waiting. */
        UNRELATED_CALL,
        /** A typed PIN that does not fit, with attempts left: the app may ask again (PIN_REJECTED event). */
        PIN_REJECTED,
        /** A typed PIN that does not fit, and no attempt is left: the verification ends NOT_VERIFIED. */
        PIN_ATTEMPTS_EXHAUSTED
    }

    public static final String VERDICT = "verdict";
    public static final String ATTEMPTS_LEFT = "attemptsLeft";
    public static final String RINGING = "ringing";
    private static final int HASHED_DIGITS = 3;

    private final VerificationLedger ledger;
    private final int maxAttempts;

    public PinChecks(VerificationLedger ledger, int maxAttempts) {
        this.ledger = ledger;
        this.maxAttempts = maxAttempts;
    }

    /**
     * Checks a CALLER_ID signal.
     *
     * @return {@code verdict}, and for a rejected PIN {@code attemptsLeft} and {@code ringing} (the REQUESTED signal
     *         the PIN_REJECTED event is made from)
     */
    public Map<String, Object> check(Map<String, Object> callerId) {
        String verificationId = (String) callerId.get(Fields.VERIFICATION_ID);
        Map<String, Object> ringing = ledger.ringing(verificationId);
        String pinHash = ringing == null ? null : (String) ringing.get(Fields.PIN_HASH);
        Map<String, Object> check = new LinkedHashMap<>();
        if (pinHash == null) {
            check.put(VERDICT, Verdict.UNCHECKED.name());
        } else if (fits((String) callerId.get(Fields.DIGITS), pinHash)) {
            check.put(VERDICT, Verdict.MATCHES.name());
        } else if (!"pin".equals(callerId.get(Fields.CALLER_ID_SOURCE))) {
            check.put(VERDICT, Verdict.UNRELATED_CALL.name());
        } else {
            int left = maxAttempts - ledger.countPinRejection(verificationId);
            check.put(VERDICT, (left > 0 ? Verdict.PIN_REJECTED : Verdict.PIN_ATTEMPTS_EXHAUSTED).name());
            check.put(ATTEMPTS_LEFT, Math.max(0, left));
            check.put(RINGING, ringing);
        }
        return check;
    }

    static boolean fits(String digits, String pinHash) {
        String lastDigits = digits.substring(digits.length() - HASHED_DIGITS);
        return sha1(lastDigits).equalsIgnoreCase(pinHash.strip());
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
