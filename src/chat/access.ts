import type { Config } from "../config.js";
import { ROLES, type Role } from "./command.js";

/** Local users: whoever can run the process (console prompt, `stockradar cmd`) already owns the database file. */
export const LOCAL_USERS = new Set(["console:local", "cli:local"]);

/** The strongest role config `access` grants `userId`, or undefined for an unknown user. */
export function roleOf(access: Config["access"], userId: string): Role | undefined {
  if (LOCAL_USERS.has(userId)) return "admin";
  const lists: Record<Role, string[]> = {
    admin: access.admins,
    approver: access.approvers,
    operator: access.operators,
    viewer: access.viewers,
  };
  for (const role of [...ROLES].reverse()) if (lists[role].includes(userId)) return role;
  return undefined;
}
