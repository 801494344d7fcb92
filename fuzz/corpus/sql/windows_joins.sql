WITH w(a, b) AS MATERIALIZED (SELECT * FROM (VALUES (1, 'x'), (2, 'y')) AS v(a, b))
SELECT a, b, row_number() OVER (PARTITION BY b ORDER BY a DESC NULLS LAST) AS rn,
       sum(a) FILTER (WHERE a > 1) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND CURRENT ROW),
       lag(a, 1) OVER win
FROM w LEFT JOIN 'data/*.parquet' AS p USING (a)
     NATURAL JOIN read_csv('f.csv', delim = ';', header = true) c
     CROSS JOIN range(10) r(i), t1 SEMI JOIN t2 ON t1.k = t2.k
WHERE b NOT ILIKE 'z%' ESCAPE '!' AND a NOT BETWEEN -1 AND 10 AND a IS NOT DISTINCT FROM 3
GROUP BY ALL HAVING count(DISTINCT b) > 0
WINDOW win AS (ORDER BY a) QUALIFY rn = 1
ORDER BY 1, b DESC LIMIT 10 OFFSET 2
