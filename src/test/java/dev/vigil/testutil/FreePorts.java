package dev.vigil.testutil;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * TCP ports that were free a moment ago, for a test that starts a server on one or needs one nothing listens on.
 * Several are bound together before any is released, so that no two are the same: picked one after the other, two
 * ports were the same about 3 times in 20,000 on a CI machine (the embedded broker's twin of this is
 * {@code BrokerSettings.freePorts}).
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** One port free on every interface a moment ago. */
    public static int one() throws IOException {
        return of(1)[0];
    }

    /** {@code count} different ports, each free on every interface a moment ago. */
    public static int[] of(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }
}
