package dev.omnistock.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickHouseConnectionTest {

    /** A server that takes connections and never answers: a hung ClickHouse, or a connection lost without a reset. */
    @Test
    void aServerThatNeverAnswersFailsTheRequestAfterTheSocketTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ClickHouseConnection clickHouse = new ClickHouseConnection(
                    "jdbc:clickhouse:http://127.0.0.1:" + silent.getLocalPort() + "/default", "default", null, 1_500);

            long started = System.nanoTime();
            assertThatThrownBy(() -> {
                try (Connection connection = clickHouse.open(); Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT 1");
                }
            }).isInstanceOf(Exception.class);
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the request failed").isLessThan(15_000);
        }
    }
}
