-- Net revenue since 2023 per country and tier: recent events joined with the users file.
SELECT u.country, u.tier, count(*) AS events, count(DISTINCT e.user_id) AS users,
       round(sum(e.net_revenue), 2) AS net_revenue
FROM recent_events e
JOIN users u USING (user_id)
GROUP BY ALL
ORDER BY country, tier
