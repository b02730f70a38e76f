SELECT
  *
FROM (
  SELECT
    `t8`.`year`,
    COUNT(`t8`.`unit`) AS `world`,
    SUM(CASE WHEN `t8`.`h0` > 0 THEN 1 ELSE 0 END) AS `w0`,
    SUM(ieee_divide(CAST(`t8`.`h0` AS FLOAT64), CAST(`t8`.`n` AS FLOAT64))) AS `f0`
  FROM (
    SELECT
      `t7`.`unit`,
      `t7`.`year`,
      COUNT(`t7`.`country`) AS `n`,
      SUM(
        CASE
          WHEN `t7`.`year` BETWEEN 1900 AND 2100 AND `t7`.`country` IN ('CN')
          THEN 1
          ELSE 0
        END
      ) AS `h0`
    FROM (
      SELECT
        `t2`.`unit`,
        `t6`.`year`,
        `t2`.`country`
      FROM (
        SELECT DISTINCT
          `t0`.`family_id` AS `unit`,
          `t0`.`country_code` AS `country`
        FROM `patents-public-data`.`patents`.`publications` AS `t0`
        WHERE
          `t0`.`family_id` IS NOT NULL AND `t0`.`country_code` IS NOT NULL
      ) AS `t2`
      INNER JOIN (
        SELECT
          *
        FROM (
          SELECT
            `t3`.`unit`,
            MIN(`t3`.`year`) AS `year`
          FROM (
            SELECT
              `t0`.`family_id` AS `unit`,
              CASE
                WHEN `t0`.`priority_date` > 0
                THEN CAST(FLOOR(ieee_divide(`t0`.`priority_date`, 10000)) AS INT64)
                ELSE CAST(NULL AS INT64)
              END AS `year`,
              `t0`.`publication_number` AS `doc_id`,
              `t0`.`country_code` AS `office`,
              CAST(NULL AS STRING) AS `priority_office`,
              `t0`.`grant_date` > 0 AS `granted`
            FROM `patents-public-data`.`patents`.`publications` AS `t0`
            WHERE
              `t0`.`family_id` IS NOT NULL
          ) AS `t3`
          GROUP BY
            1
        ) AS `t4`
        WHERE
          `t4`.`year` IS NOT NULL
      ) AS `t6`
        ON `t2`.`unit` = `t6`.`unit`
    ) AS `t7`
    GROUP BY
      1,
      2
  ) AS `t8`
  GROUP BY
    1
) AS `t9`
ORDER BY
  `t9`.`year` ASC NULLS LAST
