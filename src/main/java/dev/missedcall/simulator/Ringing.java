package dev.missedcall.simulator;

/**
 * A missed call the simulator placed, as the simulated phones (and tests) see it.
 *
 * @param validationId      CheckMobi's {@code RCL-} id
 * @param destinationNumber the number being verified, E.164
 * @param callingNumber     the number the call comes from, E.164; its last 4 digits are the PIN
 * @param behaviour         what the destination phone reports
 * @param hungUp            whether the API client has ended the call (HANGUP, server hangup or the hangup API)
 */
public record Ringing(String validationId, String destinationNumber, String callingNumber, PhoneBehaviour behaviour,
                      boolean hungUp) {

    public String pin() {
        return callingNumber.substring(callingNumber.length() - 4);
    }
}
