/** This process among several (scale-out): a name for logs, the admin page and the liveness key others check. */
import { randomBytes } from "node:crypto";
import os from "node:os";

export const INSTANCE_ID = `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
