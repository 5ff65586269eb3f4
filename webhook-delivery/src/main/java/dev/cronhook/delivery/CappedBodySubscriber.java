package dev.cronhook.delivery;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body up to {@code readLimit} bytes, keeping only the first {@code storeLimit}.
 *
 * <p>Past the read limit the subscription is cancelled, which makes the JDK client close the
 * connection instead of draining an arbitrarily large (or endless) body: memory per attempt stays
 * bounded by the store limit, and time by the attempt's deadline.
 */
final class CappedBodySubscriber implements BodySubscriber<CappedBodySubscriber.Body> {

    /** What was read: the stored prefix, and whether the body went on past the read limit. */
    record Body(byte[] stored, long bytesRead, boolean truncated) {}

    private final int readLimit;
    private final int storeLimit;
    private final ByteArrayOutputStream stored;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long bytesRead;

    CappedBodySubscriber(int readLimit, int storeLimit) {
        if (storeLimit > readLimit) {
            throw new IllegalArgumentException("storeLimit exceeds readLimit");
        }
        this.readLimit = readLimit;
        this.storeLimit = storeLimit;
        this.stored = new ByteArrayOutputStream(Math.min(storeLimit, 1024));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (this.subscription != null) {
            subscription.cancel();
            return;
        }
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return; // items already in flight when we cancelled
        }
        for (ByteBuffer buffer : buffers) {
            int length = buffer.remaining();
            int keep = Math.min(length, storeLimit - stored.size());
            if (keep > 0) {
                byte[] chunk = new byte[keep];
                buffer.get(chunk);
                stored.writeBytes(chunk);
            }
            bytesRead += length;
            if (bytesRead >= readLimit) {
                subscription.cancel();
                result.complete(new Body(stored.toByteArray(), bytesRead, true));
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Body(stored.toByteArray(), bytesRead, false));
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }
}
