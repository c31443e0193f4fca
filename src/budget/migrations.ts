/**
 * Call budgets (issue 18 item 7): API calls counted per channel per local day, whether the "out of budget" alert went
 * out that day, and the stock changes a tight budget holds back (until when, and since when they wait).
 */
export default `
CREATE TABLE call_budget_days (
  channel_id  TEXT NOT NULL,
  day         TEXT NOT NULL,
  calls       INTEGER NOT NULL DEFAULT 0,
  alerted_at  TEXT,
  PRIMARY KEY (channel_id, day)
) STRICT;
CREATE TABLE call_budget_waits (
  channel_id  TEXT NOT NULL,
  sku         TEXT NOT NULL,
  since       TEXT NOT NULL,
  until       TEXT NOT NULL,
  PRIMARY KEY (channel_id, sku)
) STRICT;
`;
