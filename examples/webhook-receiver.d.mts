/** True when `header` (`t=<unix s>,v1=<hex>`) signs `raw` with `secret` and t is at most 5 minutes old. */
export function verify(secret: string, header: string | undefined, raw: Buffer | string, nowMs?: number): boolean;
/** What a read GET is signed over: the query string exactly as sent, without the `?` ("" when there is none). */
export function signedQuery(url: string): string;
