/** i18n: each person's /lang choice (overrides the chat's language for replies to them). */
export default `
CREATE TABLE user_language (
  user_key    TEXT PRIMARY KEY,
  locale      TEXT NOT NULL CHECK (locale IN ('en', 'zh-CN')),
  updated_at  TEXT NOT NULL
) STRICT;
`;
