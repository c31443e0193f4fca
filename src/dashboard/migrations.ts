/** Dashboard: one-time sign-in links, page sessions (both stored as SHA-256 of the token) and the cookie secret. */
export default `
CREATE TABLE dashboard_links (
  token_hash  TEXT PRIMARY KEY,
  user_key    TEXT NOT NULL,
  role        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;
CREATE TABLE dashboard_sessions (
  token_hash  TEXT PRIMARY KEY,
  user_key    TEXT NOT NULL,
  role        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;
CREATE INDEX dashboard_sessions_user ON dashboard_sessions (user_key);
CREATE TABLE dashboard_settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT;
`;
