-- The notifier's newest delivery attempts, optionally of one subscription (empty = all), newest first.
-- status_code -1: no HTTP status came (a timeout, a refused connection, an e-mail).
-- params: subscription:text subscription:text limit:int
SELECT attempted_at,
       subscription_id,
       destination_kind,
       kind,
       notice_id,
       attempt,
       status_code,
       outcome,
       latency_ms,
       failure,
       next_attempt_at
FROM notification_attempts FINAL
WHERE (? = '' OR subscription_id = ?)
ORDER BY attempted_at DESC, delivery_id, attempt
LIMIT ?
