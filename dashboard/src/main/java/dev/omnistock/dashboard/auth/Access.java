package dev.omnistock.dashboard.auth;

import dev.omnistock.config.ApiKeys;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who may see the dashboard: with keys configured (DASHBOARD_API_KEYS), a program sends one as a header
 * and a person enters one once at /login.html for a session cookie; without keys it is open, which the
 * service allows on loopback only. The login page and what it needs are open to all.
 */
public final class Access {

    public static final String COOKIE = "omnistock_session";
    private static final Set<String> OPEN_PATHS = Set.of("/login.html", "/login.js", "/dashboard.css", "/login", "/health/live");

    /**
     * What a request gets: served, sent to the login page (pages), 401 (the JSON API), or 429 (a key sent from
     * an address that guessed wrong too often).
     */
    public enum Verdict { ALLOW, LOGIN, UNAUTHORIZED, TOO_MANY_ATTEMPTS }

    private final ApiKeys keys;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    public Access(ApiKeys keys, Sessions sessions, LoginThrottle throttle) {
        this.keys = keys;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public boolean open() {
        return keys.isEmpty();
    }

    /** @param presentedKey a key sent as a header (X-Api-Key or Authorization: Bearer), null when none */
    public Verdict decide(String path, String presentedKey, String sessionToken, String address) {
        if (open() || OPEN_PATHS.contains(path)) {
            return Verdict.ALLOW;
        }
        if (presentedKey != null) {
            // A key in a header is a guess like one at /login: the same throttle counts and stops it.
            if (throttle.waitFor(address).isPresent()) {
                return Verdict.TOO_MANY_ATTEMPTS;
            }
            if (keys.admits(presentedKey)) {
                return Verdict.ALLOW;
            }
            throttle.failed(address);
        }
        if (sessions.valid(sessionToken)) {
            return Verdict.ALLOW;
        }
        return path.startsWith("/api/") ? Verdict.UNAUTHORIZED : Verdict.LOGIN;
    }

    /** How long a client that guessed wrong too often must wait before its next login; empty when it may log in now. */
    public Optional<Duration> loginWait(String address) {
        return throttle.waitFor(address);
    }

    /** A session token when the key is one of the dashboard's. */
    public Optional<String> login(String key, String address) {
        if (open() || key == null || key.isEmpty() || !keys.admits(key)) {
            throttle.failed(address);
            return Optional.empty();
        }
        throttle.succeeded(address);
        return Optional.of(sessions.open());
    }

    public void logout(String sessionToken) {
        sessions.close(sessionToken);
    }

    /** The session cookie: out of scripts' reach, never sent along from another site's page. */
    public String cookie(String token, boolean secure) {
        return COOKIE + "=" + token + "; Path=/; Max-Age=" + sessions.lifetime().toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    public static String expiredCookie() {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
    }
}
