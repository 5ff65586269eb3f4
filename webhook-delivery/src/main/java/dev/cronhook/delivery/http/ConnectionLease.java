package dev.cronhook.delivery.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webclient.api.ClientConnection;
import io.helidon.webclient.api.TcpClientConnection;
import java.time.Duration;
import java.util.Locale;

/**
 * A pooled connection lent to one exchange.
 *
 * <p>The HTTP/1.1 client writes {@code Content-Length: 0} on every request without content. RFC
 * 9110 (section 8.6) says a client should not send it when the method does not anticipate
 * content, and some servers refuse a GET that carries it; for such a request this lease removes
 * the line from the request head, which the client writes in one piece before anything else.
 */
final class ConnectionLease implements ClientConnection {

    private static final String EMPTY_LENGTH_LINE = "content-length: 0\r\n";

    private final TcpClientConnection connection;
    private final DataWriter writer;

    ConnectionLease(TcpClientConnection connection, boolean dropEmptyContentLength) {
        this.connection = connection;
        this.writer = dropEmptyContentLength
                ? new HeadRewritingWriter(connection.writer())
                : connection.writer();
    }

    /** Methods whose requests carry no content, so announcing "none" is noise. */
    static boolean expectsNoContent(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("DELETE");
    }

    @Override
    public DataReader reader() {
        return connection.reader();
    }

    @Override
    public DataWriter writer() {
        return writer;
    }

    @Override
    public String channelId() {
        return connection.channelId();
    }

    @Override
    public HelidonSocket helidonSocket() {
        return connection.helidonSocket();
    }

    @Override
    public void readTimeout(Duration readTimeout) {
        connection.readTimeout(readTimeout);
    }

    @Override
    public boolean allowExpectContinue() {
        return connection.allowExpectContinue();
    }

    @Override
    public void allowExpectContinue(boolean allowExpectContinue) {
        connection.allowExpectContinue(allowExpectContinue);
    }

    /** Back to the pool (or closed, if the pool is full). */
    @Override
    public void releaseResource() {
        connection.releaseResource();
    }

    @Override
    public void closeResource() {
        connection.closeResource();
    }

    /** Rewrites the first write (the request head) and passes everything after it through. */
    private static final class HeadRewritingWriter implements DataWriter {
        private final DataWriter delegate;
        private boolean headWritten;

        HeadRewritingWriter(DataWriter delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(BufferData... buffers) {
            for (BufferData buffer : buffers) {
                write(buffer);
            }
        }

        @Override
        public void write(BufferData buffer) {
            delegate.write(rewrite(buffer));
        }

        @Override
        public void writeNow(BufferData... buffers) {
            for (BufferData buffer : buffers) {
                writeNow(buffer);
            }
        }

        @Override
        public void writeNow(BufferData buffer) {
            delegate.writeNow(rewrite(buffer));
        }

        private BufferData rewrite(BufferData buffer) {
            if (headWritten) {
                return buffer;
            }
            headWritten = true;
            byte[] bytes = new byte[buffer.available()];
            buffer.read(bytes);
            // ISO-8859-1 maps every byte to one char and back, so nothing else changes.
            String text = new String(bytes, ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            String head = (headEnd < 0 ? text : text.substring(0, headEnd + 2)).toLowerCase(Locale.ROOT);
            int line = head.indexOf("\r\n" + EMPTY_LENGTH_LINE);
            if (line < 0) {
                return BufferData.create(bytes);
            }
            int start = line + 2;
            String rewritten = text.substring(0, start) + text.substring(start + EMPTY_LENGTH_LINE.length());
            return BufferData.create(rewritten.getBytes(ISO_8859_1));
        }
    }
}
