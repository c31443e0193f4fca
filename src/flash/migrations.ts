/** Flash-sale windows (issue 18): SKUs that publish under split allocation and a tightened cap until `ends_at`. */
export default `
CREATE TABLE flash_windows (
  id          TEXT PRIMARY KEY,
  skus        TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  ends_at     TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  ended_at    TEXT,
  ended_by    TEXT
) STRICT;
CREATE INDEX flash_windows_open ON flash_windows(ended_at, ends_at);
`;
