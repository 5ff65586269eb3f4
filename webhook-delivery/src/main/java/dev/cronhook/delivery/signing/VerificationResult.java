package dev.cronhook.delivery.signing;

import java.util.Objects;

/**
 * Outcome of checking an inbound signature. Rejections carry a machine-readable reason and a
 * short detail for logs; neither ever contains a secret or the received signature.
 */
public sealed interface VerificationResult {

    /**
     * @param secretIndex which of the given secrets matched, so that a rotation can tell when the
     *     old secret stops being used
     */
    record Verified(int secretIndex) implements VerificationResult {}

    record Rejected(Reason reason, String detail) implements VerificationResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Reason {
        MISSING_HEADER,
        MALFORMED_HEADER,
        TIMESTAMP_TOO_OLD,
        TIMESTAMP_TOO_NEW,
        /** Well-formed entries were present, but none of a version this verifier understands. */
        UNSUPPORTED_VERSION,
        NO_MATCHING_SIGNATURE
    }

    default boolean isVerified() {
        return this instanceof Verified;
    }
}
