import { z } from "zod";

/**
 * Every string a client sends (socket events, and the register and sign-in forms). PostgreSQL refuses NUL in text columns and parameters, so a NUL
 * reaching a query failed the request as INTERNAL (and SQLite would store it); it is refused up
 * front as INVALID_PAYLOAD on both databases.
 */
export const text = (params?: Parameters<typeof z.string>[0]) => z.string(params).refine((value) => !value.includes("\u0000"), "Contains a NUL character.");
