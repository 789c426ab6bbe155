package dev.omnistock.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a web page in the operator's browser could do to an API on 127.0.0.1, sent as raw HTTP/1.1 (Java's
 * HTTP client will not send a Host of our choosing): each must be refused with a problem.
 */
public final class ExposureChecks {

    private ExposureChecks() {
    }

    /** An answer: its status, headers (names in lower case) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    /**
     * A page rebound to 127.0.0.1 (foreign Host), a foreign page's request (foreign Origin) and a cross-site
     * text/plain POST to {@code jsonPost}, which takes JSON: each gets its problem before anything else runs.
     *
     * @param extraHeaders e.g. the API key, so that a refusal cannot come from the keys instead
     */
    public static void assertRefusesBrowserAttacks(int port, String jsonPost, Map<String, String> extraHeaders) throws IOException {
        String self = "127.0.0.1:" + port;
        assertProblem(send(port, "GET", "/health/live", with(extraHeaders, "Host", "rebound.attacker.example:" + port), null), 421);
        assertProblem(send(port, "POST", jsonPost, with(with(extraHeaders, "Host", "rebound.attacker.example:" + port),
                "Content-Type", "application/json"), "{}"), 421);
        assertProblem(send(port, "POST", jsonPost, with(with(with(extraHeaders, "Host", self), "Origin", "https://attacker.example"),
                "Content-Type", "application/json"), "{}"), 403);
        assertProblem(send(port, "POST", jsonPost, with(with(extraHeaders, "Host", self), "Content-Type", "text/plain"), "{}"), 415);
        assertEquals(200, send(port, "GET", "/health/live", with(with(extraHeaders, "Host", "localhost:" + port),
                "Origin", "http://localhost:" + port), null).status(), "health with this service's own names");
    }

    /** Sends one request over a new connection and reads the whole answer. */
    public static Answer send(int port, String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static void assertProblem(Answer answer, int status) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.headers().getOrDefault("content-type", "").startsWith("application/problem+json"), answer.headers().toString());
        assertTrue(answer.body().contains("\"status\":" + status), answer.body());
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private static Answer parse(byte[] raw) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("Not an HTTP answer: " + all);
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(new java.io.ByteArrayInputStream(body));
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n' && c >= 0) {
                size.append((char) c);
            }
            int length = Integer.parseInt(size.toString().trim().split(";")[0], 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(length));
            in.readNBytes(2);
        }
    }
}
