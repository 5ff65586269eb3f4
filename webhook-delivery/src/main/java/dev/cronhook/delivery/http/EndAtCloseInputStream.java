package dev.cronhook.delivery.http;

import io.helidon.common.buffers.DataReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a body that ends when the server closes the connection, reporting that close as EOF. */
final class EndAtCloseInputStream extends FilterInputStream {

    EndAtCloseInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (DataReader.InsufficientDataAvailableException e) {
            return -1;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (DataReader.InsufficientDataAvailableException e) {
            return -1;
        }
    }
}
