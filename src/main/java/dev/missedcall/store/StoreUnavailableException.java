package dev.missedcall.store;

/** The store could not be reached or refused a statement: the work is retried, never dead-lettered. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
