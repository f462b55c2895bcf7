package dev.missedcall.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * One caller-ID report of a simulated phone, and how long after the phone's previous report it is sent.
 *
 * @param afterPrevious for the first report, counted from the moment the phone notices the call (which
 *                      {@link SimulatedPhones} makes a short random delay); never negative
 * @param report        what the phone reports
 */
public record TimedReport(Duration afterPrevious, CallerIdReport report) {

    public TimedReport {
        Objects.requireNonNull(afterPrevious, "afterPrevious");
        Objects.requireNonNull(report, "report");
        if (afterPrevious.isNegative()) {
            throw new IllegalArgumentException("afterPrevious must not be negative");
        }
    }

    static TimedReport immediately(CallerIdReport report) {
        return new TimedReport(Duration.ZERO, report);
    }

    static TimedReport after(Duration pause, CallerIdReport report) {
        return new TimedReport(pause, report);
    }
}
