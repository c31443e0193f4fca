/** True when `header` (`t=<unix s>,v1=<hex>`) signs `raw` with `secret` and t is at most 5 minutes old. */
export function verify(secret: string, header: string | undefined, raw: Buffer, nowMs?: number): boolean;
