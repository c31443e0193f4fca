/** Issue 15: an alert keeps its text as a catalog message (id + variables) so each chat reads it in its own language. */
export default `
ALTER TABLE alerts ADD COLUMN message TEXT;
`;
